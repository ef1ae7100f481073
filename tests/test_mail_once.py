"""Each notification e-mail goes out once: claimed row by row, so two workers never send the
same one, and a mail task whose worker died is put back in the queue by the scheduler. (The
whole of it, with workers killed while sending to an SMTP server: tests/test_cluster.py.)"""

import datetime
import os
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from workflow.notifications.models import Notification
from workflow.notifications.services import notify
from workflow.notifications.tasks import email_notifications, requeue_stalled_mail

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def mailed_coordinator(coordinator):
    coordinator.email = "li@example.org"
    coordinator.save()
    return coordinator


def test_the_mail_carries_the_notification_s_own_message_id(mailed_coordinator, settings):
    settings.EMAIL_MESSAGE_ID_DOMAIN = "shenlianti.example"
    note = notify(recipients=[mailed_coordinator], kind="rules_issued", params={"title": "x"})[0]
    assert email_notifications.call([note.pk]) == 1
    assert mail.outbox[0].message()["Message-ID"] == f"<notification-{note.pk}@shenlianti.example>"


def test_a_task_run_twice_sends_each_mail_once(mailed_coordinator):
    notes = [
        notify(recipients=[mailed_coordinator], kind="rules_issued", params={"title": t})[0]
        for t in ("a", "b")
    ]
    ids = [n.pk for n in notes]
    assert email_notifications.call(ids[:1]) == 1
    assert email_notifications.call(ids) == 1  # the first one is marked sent already
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).count() == 0


def test_a_failed_send_leaves_the_mail_unsent_for_the_next_try(mailed_coordinator, monkeypatch):
    note = notify(recipients=[mailed_coordinator], kind="rules_issued", params={"title": "x"})[0]

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("workflow.notifications.tasks.EmailMessage.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        email_notifications.call([note.pk])
    note.refresh_from_db()
    assert note.emailed_at is None
    monkeypatch.undo()
    assert email_notifications.call([note.pk]) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mail_being_sent_by_another_worker_is_skipped(mailed_coordinator):
    note = Notification.objects.create(
        recipient=mailed_coordinator, kind="rules_issued", params={"title": "x"}
    )
    claimed, release = threading.Event(), threading.Event()

    def other_worker():  # holds the row's lock as a worker does while the mail server answers
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=note.pk)
                claimed.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert claimed.wait(10)
        assert email_notifications.call([note.pk]) == 0  # neither waits nor sends
    finally:
        release.set()
        thread.join()
    assert mail.outbox == []
    assert connection.vendor == "postgresql"
    assert email_notifications.call([note.pk]) == 1  # once the other let go without sending


def _mail_task(settings, *, status, started_minutes_ago, task=email_notifications):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_QUEUE
    result = task.using(backend="default").enqueue([1])
    row = DBTaskResult.objects.get(pk=result.id)
    row.status = status
    row.started_at = timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
    row.save()
    return row


def test_the_scheduler_puts_back_a_mail_task_whose_worker_died(db, settings):
    settings.MAIL_TASK_STALE_SECONDS = 300
    stalled = _mail_task(settings, status="RUNNING", started_minutes_ago=10)
    running = _mail_task(settings, status="RUNNING", started_minutes_ago=1)
    done = _mail_task(settings, status="SUCCESSFUL", started_minutes_ago=10)
    call_command("run_scheduler", "--once", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for row in (stalled, running, done):
        row.refresh_from_db()
    assert (stalled.status, stalled.started_at) == ("READY", None)
    assert running.status == "RUNNING"
    assert done.status == "SUCCESSFUL"


def test_only_mail_tasks_are_put_back(db, settings):
    from workflow.deadlines.tasks import scan_time_limits_task

    settings.MAIL_TASK_STALE_SECONDS = 300
    scan = _mail_task(
        settings, status="RUNNING", started_minutes_ago=10, task=scan_time_limits_task
    )
    assert requeue_stalled_mail() == 0
    scan.refresh_from_db()
    assert scan.status == "RUNNING"


def test_nothing_is_put_back_without_the_database_queue():
    assert requeue_stalled_mail() == 0
