"""Telling people: `notify` writes one notification per recipient, inside the caller's
transaction, so a rolled-back change notifies no one.

A notification is a kind (workflow.notifications.kinds) and the parameters of its sentences,
put into words in the reader's language when it is read. `title=` (and `body=`) still take a
literal text, shown as is, for a notice that has no kind of its own yet."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.request_id import current_request_id
from departments.models import Organisation, User
from workflow.notifications.kinds import KINDS, kind_of
from workflow.notifications.models import Notification
from workflow.notifications.tasks import email_notifications
from workflow.realtime.publish import publish_notifications, publish_notifications_read


@dataclass(frozen=True)
class Notice:
    """One message for some people: what `notify` takes, for `notify_many` to take many of."""

    recipients: Iterable
    kind: str
    title: str = ""
    case: object = None
    body: str = ""
    url: str = ""
    dedupe_key: str = ""
    params: dict | None = None

    def __post_init__(self):
        if not self.title and kind_of(self.kind) is None:
            raise ValueError(f"Unregistered notification kind {self.kind!r}")
        if self.params is not None:
            object.__setattr__(self, "params", jsonable(self.params))


def notify(
    *,
    recipients: Iterable,
    kind: str,
    params: dict | None = None,
    title: str = "",
    case=None,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Notify each distinct active recipient once; with `dedupe_key`, once ever per key.

    `kind` and `params` make the sentences (see `kinds.KINDS`); `title` is a literal fallback."""
    notice = Notice(recipients, kind, title, case, body, url, dedupe_key, params)
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
            params=notice.params or {},
            url=notice.url,
            dedupe_key=notice.dedupe_key,
        )
        for person, notice in planned
    )
    publish_notifications(notifications)
    ids = [n.pk for n in notifications if n.recipient.wants_email(n.kind)]
    if ids:
        # Mail goes out from the worker, never in the request, and only once this commits.
        request_id = current_request_id()
        transaction.on_commit(lambda: email_notifications.enqueue(ids, request_id=request_id))
    return notifications


def jsonable(params: dict) -> dict:
    """Parameters as JSON keeps them: dates and moments as ISO strings, lazy text as text."""
    out = {}
    for name, value in params.items():
        if isinstance(value, date | datetime):
            value = value.isoformat()
        elif value is not None and not isinstance(value, bool | int | float | str):
            value = str(value)
        out[name] = value
    return out


def members_of(organisation_id, *, leaders_only: bool = False):
    """The active people of an organisation (its leaders only, if asked)."""
    people = User.objects.filter(organisation_id=organisation_id, is_active=True)
    if leaders_only:
        people = people.filter(organisation_role=User.OrganisationRole.LEADER)
    return people


def coordinators():
    return User.objects.filter(organisation__kind=Organisation.Kind.OFFICE, is_active=True)


def notify_office_submitted(case, *, reply: str | None = None) -> None:
    """Tell the office a case came in (submitted, or resubmitted with the information asked
    for): its acceptance limit is one working day."""
    enterprise = str(case.enterprise) if case.enterprise_id else ""
    if reply is None:
        kind, params = Notification.Kind.CASE_SUBMITTED, {"enterprise": enterprise}
    else:
        kind, params = Notification.Kind.CASE_RESUBMITTED, {"enterprise": enterprise}
        params["reply"] = reply or "-"
    notify(
        recipients=coordinators(),
        kind=kind,
        params={"title": case.title, **params},
        case=case,
        url=case_url(case),
    )


def case_url(case) -> str:
    return f"/cases/{case.pk}/"


@transaction.atomic
def email_preferences_set(*, person, by_email: Iterable[str]) -> list[str]:
    """Which kinds of notification also come to `person` by e-mail; the others stay in the
    inbox only. Returns the kinds now read in the inbox only."""
    by_email = set(by_email)
    unknown = by_email - set(KINDS)
    if unknown:
        raise ValidationError(
            {"by_email": [_("未知的通知类型：%(kinds)s") % {"kinds": ", ".join(sorted(unknown))}]}
        )
    person.email_muted_kinds = [code for code in KINDS if code not in by_email]
    person.save(update_fields=["email_muted_kinds"])
    return person.email_muted_kinds


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
