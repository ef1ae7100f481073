"""A live stream lives no longer than the API token that opened it: revoking the token (logging
out, logging out everywhere, a password change, the administrator) or its expiry closes the
stream with 4401, while the person's other streams and other people's stay open."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from config.asgi import application
from departments import services as departments
from departments.models import ApiToken
from tests import factories
from workflow.realtime.revocation import streams_by_token

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


@pytest.fixture(autouse=True)
def _in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


async def open_stream(path, key):
    communicator = WebsocketCommunicator(
        application, path, subprotocols=["shenlianti", f"token.{key}"]
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def closed_with(communicator) -> int:
    return (await communicator.receive_output(timeout=3))["code"]


async def still_open(communicator) -> bool:
    return await communicator.receive_nothing(timeout=0.3)


async def test_logging_out_closes_the_streams_of_that_token_only(
    enterprise_user, other_enterprise_user, submitted_case
):
    key = await sync_to_async(factories.api_token)(enterprise_user)
    other_key_same_person = await sync_to_async(factories.api_token)(enterprise_user)
    other_persons_key = await sync_to_async(factories.api_token)(other_enterprise_user)
    case_stream = await open_stream(f"/ws/cases/{submitted_case.pk}/", key)
    inbox_stream = await open_stream("/ws/inbox/", key)
    same_person_elsewhere = await open_stream("/ws/inbox/", other_key_same_person)
    someone_else = await open_stream("/ws/inbox/", other_persons_key)

    token = await sync_to_async(ApiToken.objects.get)(digest=ApiToken.digest_of(key))
    await sync_to_async(departments.token_revoke)(token=token)

    assert await closed_with(case_stream) == 4401
    assert await closed_with(inbox_stream) == 4401
    assert await still_open(same_person_elsewhere)
    assert await still_open(someone_else)
    await same_person_elsewhere.disconnect()
    await someone_else.disconnect()
    # Forgotten once closed: no registration outlives its stream.
    mine = await sync_to_async(list)(
        ApiToken.objects.filter(user__in=[enterprise_user, other_enterprise_user]).values_list(
            "pk", flat=True
        )
    )
    assert not set(mine) & set(streams_by_token.streams)


async def test_logging_out_everywhere_closes_every_stream_of_the_person(
    enterprise_user, other_enterprise_user
):
    keys = [await sync_to_async(factories.api_token)(enterprise_user) for _ in range(2)]
    streams = [await open_stream("/ws/inbox/", key) for key in keys]
    someone_else = await open_stream(
        "/ws/inbox/", await sync_to_async(factories.api_token)(other_enterprise_user)
    )

    await sync_to_async(departments.tokens_revoke_all)(user=enterprise_user)

    assert [await closed_with(stream) for stream in streams] == [4401, 4401]
    assert await still_open(someone_else)
    await someone_else.disconnect()


async def test_a_stream_closes_when_its_token_expires(enterprise_user):
    key = await sync_to_async(factories.api_token)(enterprise_user)
    await sync_to_async(ApiToken.objects.update)(expires_at=timezone.now() + timedelta(seconds=1))
    stream = await open_stream("/ws/inbox/", key)
    assert await still_open(stream)
    assert await closed_with(stream) == 4401


async def test_a_revocation_that_rolls_back_closes_nothing(enterprise_user):
    key = await sync_to_async(factories.api_token)(enterprise_user)
    stream = await open_stream("/ws/inbox/", key)

    def revoke_then_fail():
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            departments.tokens_revoke_all(user=enterprise_user)
            raise RuntimeError("rolled back")

    await sync_to_async(revoke_then_fail)()
    assert await still_open(stream)
    await stream.disconnect()
