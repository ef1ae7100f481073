"""The session's live stream: who may watch it, and a message for each change."""

import pytest
from asgiref.sync import sync_to_async

from tests.test_realtime import close_code, connect
from workflow.sessions import participants as session_participants
from workflow.sessions import services as sessions

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


@pytest.fixture(autouse=True)
def _in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


async def test_invitee_watches_the_session_and_outsiders_are_refused(
    scheduled, coordinator, legal_expert, other_department_officer
):
    path = f"/ws/sessions/{scheduled.pk}/"
    refused, _, _ = await connect(path, other_department_officer)
    assert await close_code(refused) == 4404

    await sync_to_async(session_participants.participant_invite)(
        session=scheduled, by=coordinator, capacity="legal_expert", person=legal_expert
    )
    communicator, connected, _ = await connect(path, legal_expert)
    assert connected
    await sync_to_async(sessions.session_notify)(session=scheduled, by=coordinator)
    message = await communicator.receive_json_from(timeout=2)
    assert (message["type"], message["session"], message["kind"]) == (
        "session",
        scheduled.pk,
        "notify",
    )
    assert message["payload"]["status"] == "notified"
    await communicator.disconnect()
