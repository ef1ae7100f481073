"""Live updates over WebSockets: who may connect, what arrives after each commit, resuming."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from config.asgi import application
from tests import factories
from workflow.casefile import services
from workflow.items import services as item_services
from workflow.realtime.breaker import breaker
from workflow.record.models import Event

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


@pytest.fixture(autouse=True)
def _in_memory_layer(request, settings):
    """In memory, except for the tests that exercise the configured Redis layer."""
    if request.node.get_closest_marker("redis") is None:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture(autouse=True)
def _closed_breaker():
    """A test that breaks the layer must not leave live updates paused for the next one."""
    yield
    breaker.reset()


async def connect(path, user=None, origin=b"http://testserver"):
    protocols = ["shenlianti"]
    if user is not None:
        key = await sync_to_async(factories.api_token)(user)
        protocols.append(f"token.{key}")
    headers = [(b"origin", origin)] if origin else []
    communicator = WebsocketCommunicator(application, path, headers=headers, subprotocols=protocols)
    connected, subprotocol = await communicator.connect()
    return communicator, connected, subprotocol


async def close_code(communicator):
    output = await communicator.receive_output(timeout=2)
    assert output["type"] == "websocket.close"
    return output["code"]


@pytest.mark.parametrize(
    ("who", "path", "code"),
    [
        ("anonymous", "/ws/cases/{case}/", 4401),
        ("anonymous", "/ws/inbox/", 4401),
        ("other_enterprise_user", "/ws/cases/{case}/", 4404),
        ("enterprise_user", "/ws/cases/999999/", 4404),
        ("enterprise_user", "/ws/cases/{case}/?since=abc", 4400),
        ("enterprise_user", "/ws/cases/{case}/?since=-1", 4400),
    ],
)
async def test_refusals_close_with_a_documented_code(
    enterprise_user, other_enterprise_user, submitted_case, who, path, code
):
    user = {"enterprise_user": enterprise_user, "other_enterprise_user": other_enterprise_user}.get(
        who
    )
    communicator, connected, _ = await connect(path.format(case=submitted_case.pk), user)
    assert connected
    assert await close_code(communicator) == code


async def test_other_sites_pages_are_refused(enterprise_user, submitted_case):
    _, connected, _ = await connect(
        f"/ws/cases/{submitted_case.pk}/", enterprise_user, origin=b"http://evil.example"
    )
    assert not connected


async def test_case_subscriber_receives_each_committed_transition(
    enterprise_user, coordinator, zigui_org, submitted_case
):
    communicator, connected, subprotocol = await connect(
        f"/ws/cases/{submitted_case.pk}/", enterprise_user
    )
    assert connected and subprotocol == "shenlianti"

    await sync_to_async(services.case_accept)(case=submitted_case, by=coordinator)
    message = await communicator.receive_json_from(timeout=2)
    assert message["type"] == "event"
    assert message["event"]["case"] == submitted_case.pk
    assert message["event"]["to_state"] == "accepted"

    await sync_to_async(item_services.case_assign)(
        case=submitted_case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": factories.due_in(10)}
        ],
    )
    kinds = set()
    while not await communicator.receive_nothing(timeout=0.3):
        kinds.add((await communicator.receive_json_from())["event"]["to_state"])
    assert "implementing" in kinds
    await communicator.disconnect()


async def test_rolled_back_change_sends_nothing(enterprise_user, coordinator, submitted_case):
    communicator, _, _ = await connect(f"/ws/cases/{submitted_case.pk}/", enterprise_user)

    def accept_then_fail():
        with transaction.atomic():
            services.case_accept(case=submitted_case, by=coordinator)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        await sync_to_async(accept_then_fail)()
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_internal_events_never_reach_the_enterprise(
    enterprise_user, coordinator, submitted_case
):
    from workflow.record.services import record_event

    enterprise, _, _ = await connect(f"/ws/cases/{submitted_case.pk}/", enterprise_user)
    office, _, _ = await connect(f"/ws/cases/{submitted_case.pk}/", coordinator)
    await sync_to_async(record_event)(
        case=submitted_case, kind="comment", actor=coordinator, internal=True
    )
    assert (await office.receive_json_from(timeout=2))["event"]["kind"] == "comment"
    assert await enterprise.receive_nothing(timeout=0.3)
    # Nor on resume.
    resumed, _, _ = await connect(f"/ws/cases/{submitted_case.pk}/?since=0", enterprise_user)
    replayed = []
    while (message := await resumed.receive_json_from(timeout=2))["type"] == "event":
        replayed.append(message["event"]["kind"])
    assert "comment" not in replayed
    for communicator in (enterprise, office, resumed):
        await communicator.disconnect()


async def test_since_replays_missed_events_then_goes_live(
    enterprise_user, coordinator, zigui_org, submitted_case
):
    last_seen = await sync_to_async(
        lambda: Event.objects.filter(case=submitted_case).latest("pk").pk
    )()
    await sync_to_async(services.case_accept)(case=submitted_case, by=coordinator)
    missed = await sync_to_async(lambda: Event.objects.filter(case=submitted_case).latest("pk"))()

    communicator, _, _ = await connect(
        f"/ws/cases/{submitted_case.pk}/?since={last_seen}", enterprise_user
    )
    replayed = await communicator.receive_json_from(timeout=2)
    assert replayed["event"]["id"] == missed.pk
    assert await communicator.receive_json_from(timeout=2) == {
        "type": "replay_done",
        "last_id": missed.pk,
    }
    await sync_to_async(item_services.case_assign)(
        case=submitted_case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": factories.due_in(9)}
        ],
    )
    live = await communicator.receive_json_from(timeout=2)
    assert live["event"]["id"] > missed.pk
    await communicator.disconnect()


async def test_inbox_receives_own_notifications_only(
    coordinator, department_officer, other_department_officer, zigui_org, submitted_case
):
    mine, _, _ = await connect("/ws/inbox/", department_officer)
    theirs, _, _ = await connect("/ws/inbox/", other_department_officer)
    await sync_to_async(services.case_accept)(case=submitted_case, by=coordinator)
    await sync_to_async(item_services.case_assign)(
        case=submitted_case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": factories.due_in(10)}
        ],
    )
    message = await mine.receive_json_from(timeout=2)
    assert message["type"] == "notification"
    assert message["notification"]["kind"] == "action_item_assigned"
    assert message["notification"]["case"] == submitted_case.pk
    assert await theirs.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await theirs.disconnect()


async def test_broken_channel_layer_does_not_break_the_change(
    settings, enterprise_user, coordinator, submitted_case
):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        await sync_to_async(services.case_accept)(case=submitted_case, by=coordinator)
    finally:
        channel_layers.backends.clear()
    await sync_to_async(submitted_case.refresh_from_db)()
    assert submitted_case.status == "accepted"


@pytest.mark.redis
async def test_events_travel_through_redis(enterprise_user, coordinator, submitted_case):
    # A fresh layer on this test's event loop: the process's Redis layer keeps connections made
    # on the loops of earlier tests, which are closed by now.
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    communicator, _, _ = await connect(f"/ws/cases/{submitted_case.pk}/", enterprise_user)
    await sync_to_async(services.case_accept)(case=submitted_case, by=coordinator)
    message = await communicator.receive_json_from(timeout=3)
    assert message["event"]["to_state"] == "accepted"
    await communicator.disconnect()


@pytest.fixture
def session_access(enterprise_user, other_enterprise_user):
    """Stands in for the sessions code: session 7 exists; the enterprise may watch it, the
    other enterprise sees it but may not."""
    from workflow.realtime import sessions

    def access(session_id, user):
        if session_id != 7:
            return None
        return {enterprise_user.pk: True, other_enterprise_user.pk: False}.get(user.pk)

    registered = sessions._access
    sessions.register(access)
    yield
    sessions.register(registered)


async def test_session_stream_needs_a_registered_session(enterprise_user):
    communicator, _, _ = await connect("/ws/sessions/7/", enterprise_user)
    assert await close_code(communicator) == 4404


@pytest.mark.usefixtures("session_access")
@pytest.mark.parametrize(
    ("who", "path", "code"),
    [
        ("other_enterprise_user", "/ws/sessions/7/", 4403),
        ("coordinator", "/ws/sessions/7/", 4404),
        ("enterprise_user", "/ws/sessions/8/", 4404),
        ("anonymous", "/ws/sessions/7/", 4401),
    ],
)
async def test_session_refusals(
    enterprise_user, other_enterprise_user, coordinator, who, path, code
):
    users = {
        "enterprise_user": enterprise_user,
        "other_enterprise_user": other_enterprise_user,
        "coordinator": coordinator,
    }
    communicator, _, _ = await connect(path, users.get(who))
    assert await close_code(communicator) == code


@pytest.mark.usefixtures("session_access")
async def test_session_stream_sends_what_the_sessions_code_publishes(enterprise_user):
    from workflow.realtime.sessions import publish_session

    communicator, connected, _ = await connect("/ws/sessions/7/", enterprise_user)
    assert connected

    def publish(kind):
        with transaction.atomic():
            publish_session(7, kind, {"speaker": "企业"})

    await sync_to_async(publish)("opinion_added")
    assert await communicator.receive_json_from(timeout=2) == {
        "type": "session",
        "session": 7,
        "kind": "opinion_added",
        "payload": {"speaker": "企业"},
    }
    await communicator.disconnect()


async def test_losing_access_stops_the_stream(
    coordinator, department_officer, zigui_org, zhujian_org, submitted_case
):
    from workflow.items.models import ActionItem
    from workflow.items.services import action_item_reassign, action_item_return
    from workflow.record.services import record_event

    def assign():
        services.case_accept(case=submitted_case, by=coordinator)
        item_services.case_assign(
            case=submitted_case,
            by=coordinator,
            assignments=[
                {"organisation": zigui_org, "title": "规划审批", "due_date": factories.due_in(10)}
            ],
        )
        item = ActionItem.objects.get(case=submitted_case)
        return action_item_return(item=item, by=department_officer, reason="不属于本单位")

    item = await sync_to_async(assign)()
    communicator, _, _ = await connect(f"/ws/cases/{submitted_case.pk}/", department_officer)
    await sync_to_async(action_item_reassign)(item=item, by=coordinator, owner=zhujian_org)
    # The reassignment itself still reaches the old owner; nothing after it does.
    last = await communicator.receive_json_from(timeout=2)
    assert last["event"]["kind"] == "action_item_reassign"
    await sync_to_async(record_event)(case=submitted_case, kind="comment", actor=coordinator)
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_reading_notifications_updates_the_persons_other_tabs(
    coordinator, department_officer, zigui_org, submitted_case
):
    from workflow.notifications.models import Notification
    from workflow.notifications.services import mark_all_read, mark_read

    await sync_to_async(services.case_accept)(case=submitted_case, by=coordinator)
    await sync_to_async(item_services.case_assign)(
        case=submitted_case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": factories.due_in(10)},
            {"organisation": zigui_org, "title": "用地预审", "due_date": factories.due_in(10)},
        ],
    )
    other_tab, _, _ = await connect("/ws/inbox/", department_officer)
    first = await sync_to_async(Notification.objects.filter(recipient=department_officer).first)()

    await sync_to_async(mark_read)(first)
    assert await other_tab.receive_json_from(timeout=2) == {
        "type": "notifications_read",
        "unread": 1,
    }
    await sync_to_async(mark_read)(first)  # already read: nothing to tell
    assert await other_tab.receive_nothing(timeout=0.3)

    await sync_to_async(mark_all_read)(department_officer)
    assert await other_tab.receive_json_from(timeout=2) == {
        "type": "notifications_read",
        "unread": 0,
    }
    await other_tab.disconnect()


async def test_open_sockets_and_unsent_updates_are_metrics(enterprise_user, submitted_case):
    from config.metrics import LIVE_UPDATES_NOT_SENT, WEBSOCKETS_OPEN

    before = WEBSOCKETS_OPEN._value.get()
    communicator, connected, _ = await connect(f"/ws/cases/{submitted_case.pk}/", enterprise_user)
    assert connected and WEBSOCKETS_OPEN._value.get() == before + 1
    await communicator.disconnect()
    assert WEBSOCKETS_OPEN._value.get() == before
    refused, connected, _ = await connect(f"/ws/cases/{submitted_case.pk}/")  # not signed in
    assert await close_code(refused) == 4401
    assert WEBSOCKETS_OPEN._value.get() == before  # a refused handshake is not counted

    full = LIVE_UPDATES_NOT_SENT.labels("queue_full")
    dropped = full._value.get()
    breaker.queue_full(3, 100)
    assert full._value.get() == dropped + 3
