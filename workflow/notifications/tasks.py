"""Background tasks (django-tasks) of notifications, run by the worker (`manage.py db_worker`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from workflow.notifications.models import Notification


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """Mail each notification not yet mailed to its recipient; return how many went out."""
    sent = 0
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient")
    for note in pending:
        if not note.recipient.email:
            continue
        body = note.body or note.title
        if note.url:
            body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{note.url}"
        send_mail(f"[审联体] {note.title}", body, None, [note.recipient.email])
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
