"""Background tasks (django-tasks) of notifications, run by the worker (`manage.py db_worker`)."""

from django.conf import settings
from django.core.mail import send_mail
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


@task()
@carries_request_id
def email_notifications(notification_ids: list[int]) -> int:
    """Mail each notification not yet mailed to its recipient, unless they chose to read that
    kind in the inbox only; return how many went out."""
    sent = 0
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient")
    for note in pending:
        if not note.recipient.wants_email(note.kind):
            continue
        subject, text = email_text(note)
        send_mail(subject, text, None, [note.recipient.email])
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
