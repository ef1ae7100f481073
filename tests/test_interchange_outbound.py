"""Every change of state of a system's case reaches its callback, signed, in order, from the
worker: retried after the receiver was down, and never slowing the request that made it."""

import time

import pytest
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from cases.models import Case
from tests import factories
from tests.interchange_receiver import Receiver
from workflow.casefile.services import case_accept, case_withdraw
from workflow.interchange.models import Delivery, ExternalSystem
from workflow.interchange.services import system_create
from workflow.interchange.tasks import back_off, deliver_pending, deliveries_replay
from workflow.items.services import case_assign

pytestmark = pytest.mark.django_db

URL = "/api/v1/interchange/cases/"


@pytest.fixture
def database_queue(settings):
    """The production queue: enqueuing writes a row; the worker (run below) sends."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.INTERCHANGE_TIMEOUT_SECONDS = 0.5
    settings.INTERCHANGE_RETRY_FIRST_SECONDS = 1


def run_worker():
    """What `manage.py db_worker` does with each due task, in this test's transaction (the
    command's own loop takes an exclusive lock that a test's open transaction never gives)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    for _ in range(100):
        result = DBTaskResult.objects.ready().order_by("enqueued_at", "id").first()
        if result is None:
            return
        result.claim("tests")
        worker.run_task(result)
    raise AssertionError("the queue never emptied")


def hotline_for(url: str, **fields):
    system, key = system_create(
        name="12345热线平台",
        channel=Case.SourceChannel.HOTLINE_12345,
        operations=[ExternalSystem.Operation.FILE_CASE],
        callback_url=url,
        **fields,
    )
    return system, key


def file_order(key, reference="GD-1"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"ApiKey {key}")
    body = {
        "external_reference": reference,
        "credit_code": factories.valid_credit_code(),
        "title": "厂区外自来水主管迁改",
        "description": "市政道路拓宽，需迁改厂区外的自来水主管。",
        "category": "utility_relocation",
    }
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    return Case.objects.get(pk=response.json()["id"])


@pytest.fixture
def receiver():
    # The secret is set once the system exists (it is made with it).
    server = Receiver(secret="")
    yield server
    server.stop()


def test_the_receiver_sees_every_transition_in_order_signed(
    database_queue, receiver, coordinator, zigui_org, django_capture_on_commit_callbacks
):
    system, key = hotline_for(receiver.url)
    receiver.secret = system.signing_secret
    with django_capture_on_commit_callbacks(execute=True):
        case = file_order(key)
    with django_capture_on_commit_callbacks(execute=True):
        case_accept(case=case, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(
            case=case,
            by=coordinator,
            assignments=[
                {"organisation": zigui_org, "title": "迁改主管", "due_in_working_days": 5}
            ],
        )
    assert receiver.messages == []  # nothing is sent by the requests themselves
    run_worker()
    case.refresh_from_db()
    acting = system.user
    acting.organisation = case.enterprise
    with django_capture_on_commit_callbacks(execute=True):
        case_withdraw(case=case, by=acting, reason="已自行解决")
    run_worker()
    assert receiver.bad_signatures == 0
    assert receiver.transitions() == [
        ("created", "draft"),
        ("submit", "submitted"),
        ("accept", "accepted"),
        ("assign", "implementing"),
        ("withdraw", "withdrawn"),
    ]
    last = receiver.messages[-1]
    assert last["case"]["external_reference"] == "GD-1"
    assert last["case"]["open311_status"] == "closed"
    assert Delivery.objects.filter(status="delivered").count() == 5


def test_a_wrong_secret_fails_the_receivers_check(
    database_queue, receiver, django_capture_on_commit_callbacks
):
    _system, key = hotline_for(receiver.url)
    receiver.secret = "not-the-secret"
    with django_capture_on_commit_callbacks(execute=True):
        file_order(key)
    run_worker()
    assert receiver.messages == [] and receiver.bad_signatures == 2


def test_messages_are_retried_after_the_receiver_was_down(
    database_queue, django_capture_on_commit_callbacks
):
    down = Receiver(secret="")
    port, url = down.port, down.url
    down.stop()  # nothing listens there now: every attempt is refused
    system, key = hotline_for(url)
    with django_capture_on_commit_callbacks(execute=True):
        file_order(key)
    run_worker()
    first = Delivery.objects.order_by("id").first()
    assert first.status == "pending" and first.attempts == 1 and first.last_error
    # The later message waits behind the first, so the order holds.
    assert Delivery.objects.filter(attempts=0).count() == 1
    assert first.next_attempt_at > first.last_attempt_at

    back = Receiver(secret=system.signing_secret, port=port)
    try:
        time.sleep(1.2)  # the first back-off (INTERCHANGE_RETRY_FIRST_SECONDS)
        run_worker()
        assert back.transitions() == [("created", "draft"), ("submit", "submitted")]
    finally:
        back.stop()
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_the_back_off_doubles_and_a_message_is_given_up_after_its_time(
    database_queue, django_capture_on_commit_callbacks
):
    down = Receiver(secret="", answer=503)
    try:
        system, key = hotline_for(down.url)
        with django_capture_on_commit_callbacks(execute=True):
            file_order(key)
        run_worker()
        first = Delivery.objects.order_by("id").first()
        assert first.last_status_code == 503 and first.status == "pending"
        Delivery.objects.filter(pk=first.pk).update(
            attempts=5, next_attempt_at=timezone.now(), give_up_at=timezone.now()
        )
        assert back_off(6) == 2 * back_off(5)
        deliver_pending.enqueue(system.pk)  # what the deferred run would do when due
        run_worker()
        first.refresh_from_db()
        assert first.status == "failed" and first.attempts == 6
        # Given up, it no longer holds back the next one, which is tried in turn.
        assert Delivery.objects.exclude(pk=first.pk).get().attempts == 1
    finally:
        down.stop()


def test_the_administrator_replays_a_message(
    database_queue, receiver, django_capture_on_commit_callbacks
):
    system, key = hotline_for(receiver.url)
    receiver.secret = system.signing_secret
    with django_capture_on_commit_callbacks(execute=True):
        file_order(key)
    run_worker()
    assert len(receiver.messages) == 2
    replayed = Delivery.objects.filter(payload__transition__name="submit")
    deliveries_replay(replayed)
    run_worker()
    assert len(receiver.messages) == 3
    assert receiver.messages[-1]["message_id"] == receiver.messages[1]["message_id"]


def test_a_hung_receiver_does_not_slow_a_transition(
    database_queue, coordinator, django_capture_on_commit_callbacks
):
    hung = Receiver(secret="", hang=True)
    try:
        _system, key = hotline_for(hung.url)
        with django_capture_on_commit_callbacks(execute=True):
            case = file_order(key)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            case_accept(case=case, by=coordinator)
        assert time.monotonic() - started < 0.5
        started = time.monotonic()
        run_worker()
        # The worker gave up on the attempt at its timeout; it is tried again later.
        assert time.monotonic() - started < 3
        first = Delivery.objects.order_by("id").first()
        assert first.status == "pending" and "Timeout" in first.last_error
    finally:
        hung.stop()


def test_systems_subscribed_to_all_hear_of_every_case_and_others_only_of_theirs(
    database_queue, receiver, enterprise_user, django_capture_on_commit_callbacks
):
    everything, _ = system_create(
        name="营商环境门户",
        channel=Case.SourceChannel.PORTAL,
        operations=[],
        callback_url=receiver.url,
        subscription=ExternalSystem.Subscription.ALL,
    )
    receiver.secret = everything.signing_secret
    own_only, _ = hotline_for(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        factories.case(enterprise_user)
    run_worker()
    assert receiver.transitions() == [("created", "draft"), ("submit", "submitted")]
    assert not Delivery.objects.filter(system=own_only).exists()
