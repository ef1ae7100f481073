"""Telling people: `notify` writes one notification per recipient, inside the caller's
transaction, so a rolled-back change notifies no one."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from departments.models import Organisation, User
from workflow.notifications.models import Notification
from workflow.notifications.tasks import email_notifications
from workflow.realtime.publish import publish_notifications, publish_notifications_read


@dataclass(frozen=True)
class Notice:
    """One message for some people: what `notify` takes, for `notify_many` to take many of."""

    recipients: Iterable
    kind: str
    title: str
    case: object = None
    body: str = ""
    url: str = ""
    dedupe_key: str = ""


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
    notice = Notice(recipients, kind, title, case, body, url, dedupe_key)
    return notify_many([notice])


def notify_many(notices: Iterable[Notice]) -> list[Notification]:
    """`notify` for many notices in one dedupe query and one insert (the time-limit scan warns
    thousands of clocks at a time)."""
    planned = []  # (person, notice), each active recipient once per notice
    for notice in notices:
        people = {person.pk: person for person in notice.recipients if person and person.is_active}
        planned += [(person, notice) for person in people.values()]
    keyed = [(person.pk, notice.dedupe_key) for person, notice in planned if notice.dedupe_key]
    if keyed:
        # The explicit `dedupe_key <> ''` lets PostgreSQL use the partial unique index, which it
        # cannot infer from an IN list longer than 100 keys.
        seen = set(
            Notification.objects.exclude(dedupe_key="")
            .filter(
                recipient_id__in={pk for pk, _ in keyed}, dedupe_key__in={key for _, key in keyed}
            )
            .order_by()
            .values_list("recipient_id", "dedupe_key")
        )
        fresh = []
        for person, notice in planned:
            if notice.dedupe_key:
                if (person.pk, notice.dedupe_key) in seen:
                    continue
                seen.add((person.pk, notice.dedupe_key))
            fresh.append((person, notice))
        planned = fresh
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=notice.kind,
            title=str(notice.title),
            case=notice.case,
            body=str(notice.body),
            url=notice.url,
            dedupe_key=notice.dedupe_key,
        )
        for person, notice in planned
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
