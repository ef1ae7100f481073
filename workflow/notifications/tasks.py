"""Background tasks (django-tasks) of notifications, run by the worker (`manage.py db_worker`).

Each e-mail is claimed on its own: its notification row is locked (`SELECT … FOR UPDATE SKIP
LOCKED`) for as long as it is being sent, and marked sent in the same transaction. So two
workers never send the same one, and a worker killed while sending leaves it unmarked and
unlocked, for the next task to send. The scheduler puts a mail task whose worker died back in
the queue (`requeue_stalled_mail`). The one duplicate left possible is a kill between the mail
server's acceptance and the commit (milliseconds); the e-mail's Message-ID is the
notification's own, so a duplicate is recognisable by whoever receives it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from config.request_id import carries_request_id
from workflow.notifications.models import Notification


def email_text(note: Notification) -> tuple[str, str]:
    """The subject and text of a notification's e-mail, in its recipient's language."""
    with translation.override(note.recipient.language or settings.LANGUAGE_CODE):
        title, body = note.render()
        text = body or title
        if note.url:
            text = f"{text}\n\n{settings.SITE_URL.rstrip('/')}{note.url}"
        return f"[{_('审联体')}] {title}", text


def message_id(note: Notification) -> str:
    """One Message-ID per notification, whichever worker sends it and however often."""
    return f"<notification-{note.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def _send_one(notification_id: int, mail_server) -> bool:
    """Send one notification's e-mail unless it was sent, is being sent by another worker, or
    its recipient reads that kind in the inbox only."""
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=notification_id, emailed_at__isnull=True)
            .select_related("recipient")
            .first()
        )
        if note is None or not note.recipient.wants_email(note.kind):
            return False
        subject, text = email_text(note)
        EmailMessage(
            subject,
            text,
            None,
            [note.recipient.email],
            headers={"Message-ID": message_id(note)},
            connection=mail_server,
        ).send()
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])
    return True


@task()
@carries_request_id
def email_notifications(notification_ids: list[int]) -> int:
    """Mail each notification not yet mailed to its recipient, unless they chose to read that
    kind in the inbox only; return how many went out."""
    # One connection to the mail server for the whole task, opened here so that sending a
    # message does not also close it: the commit follows the server's acceptance at once.
    with get_connection() as mail_server:
        return sum(_send_one(pk, mail_server) for pk in notification_ids)


def requeue_stalled_mail() -> int:
    """Put back in the queue every mail task that has been running longer than
    MAIL_TASK_STALE_SECONDS: its worker died (killed, its node lost). Running it again sends
    only what it had not sent; should its worker still be alive and slow, the per-message claim
    keeps the two from sending one e-mail twice. Returns how many were put back."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return 0
    from django_tasks_db.models import DBTaskResult  # a model: imported once apps are ready

    stale_since = timezone.now() - timedelta(seconds=settings.MAIL_TASK_STALE_SECONDS)
    return DBTaskResult.objects.filter(
        status="RUNNING", task_path=email_notifications.module_path, started_at__lt=stale_since
    ).update(status="READY", started_at=None)
