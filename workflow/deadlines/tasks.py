"""Background tasks (django-tasks), run by the worker (`manage.py db_worker`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from workflow.models import Notification
from workflow.services.scan import scan_time_limits


@task()
def scan_time_limits_task() -> dict:
    """The periodic time-limit scan, enqueued by `manage.py run_scheduler`."""
    return vars(scan_time_limits())


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
