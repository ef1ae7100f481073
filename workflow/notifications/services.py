"""Telling people: `notify` writes one notification per recipient, inside the caller's
transaction, so a rolled-back change notifies no one."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from departments.models import Organisation, User
from workflow.notifications.models import Notification
from workflow.notifications.tasks import email_notifications
from workflow.realtime.publish import publish_notifications, publish_notifications_read


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    case=None,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Notify each distinct active recipient once; with `dedupe_key`, once ever per key."""
    people = {person.pk: person for person in recipients if person and person.is_active}
    if dedupe_key:
        already = set(
            Notification.objects.filter(recipient_id__in=people, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        people = {pk: person for pk, person in people.items() if pk not in already}
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=kind,
            title=str(title),
            case=case,
            body=str(body),
            url=url,
            dedupe_key=dedupe_key,
        )
        for person in people.values()
    )
    publish_notifications(notifications)
    ids = [n.pk for n in notifications if n.recipient.email]
    if ids:
        # Mail goes out from the worker, never in the request, and only once this commits.
        transaction.on_commit(lambda: email_notifications.enqueue(ids))
    return notifications


def members_of(organisation_id, *, leaders_only: bool = False):
    """The active people of an organisation (its leaders only, if asked)."""
    people = User.objects.filter(organisation_id=organisation_id, is_active=True)
    if leaders_only:
        people = people.filter(organisation_role=User.OrganisationRole.LEADER)
    return people


def coordinators():
    return User.objects.filter(organisation__kind=Organisation.Kind.OFFICE, is_active=True)


def case_url(case) -> str:
    return f"/cases/{case.pk}/"


def _announce_unread(user_id) -> None:
    unread = Notification.objects.filter(recipient_id=user_id).unread().count()
    publish_notifications_read(user_id, unread)


@transaction.atomic
def mark_read(notification: Notification) -> Notification:
    """Idempotent: reading twice keeps the first time."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _announce_unread(notification.recipient_id)
    return notification


@transaction.atomic
def mark_all_read(user) -> int:
    marked = Notification.objects.for_user(user).unread().update(read_at=timezone.now())
    if marked:
        _announce_unread(user.pk)
    return marked
