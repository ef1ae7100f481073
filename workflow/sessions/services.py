"""Use cases of a joint session (审联体会议): convene, notify, start, conclude, adjourn, cancel.

Lock order everywhere: the case, then the session, then a participant, so two writers never
deadlock and a conclusion cannot interleave with a late opinion.
"""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.models import Attachment, Case
from config.fsm import Conflict, check_transition, fire
from departments.models import Organisation
from workflow.notifications.models import Notification
from workflow.notifications.services import members_of, notify
from workflow.realtime.sessions import publish_session
from workflow.record.services import record_event
from workflow.sessions.models import JointSession, Opinion, Resolution, SessionParticipant
from workflow.sessions.permissions import another_enterprise


def session_url(session) -> str:
    return f"/sessions/{session.pk}/"


def record_session_event(session, case, kind, by, *, from_state="", to_state="", payload=None):
    """A session change goes to its case's timeline and to the session's live stream."""
    body = {"session": session.pk, "session_title": session.title, **(payload or {})}
    record_event(
        case=case,
        kind=f"session_{kind}",
        actor=by,
        from_state=from_state,
        to_state=to_state,
        payload=body,
    )
    publish_session(session.pk, kind, {"status": session.status, **body})


def _require(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [_("此项不能为空。")]})
    return value


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def check_future(scheduled_at) -> None:
    """A session is scheduled in the future (the one rule for the API, the pages, the admin)."""
    if scheduled_at is None:
        raise ValidationError({"scheduled_at": [_("请填写会议时间。")]})
    if scheduled_at <= timezone.now():
        raise ValidationError({"scheduled_at": [_("会议时间必须晚于现在。")]})


def check_day_has_come(session) -> None:
    """A session starts on its day, not before."""
    if timezone.localdate(session.scheduled_at) > timezone.localdate():
        raise ValidationError(
            {
                "scheduled_at": [
                    _("会议定于 %(when)s 召开，当天才能开始。")
                    % {"when": _when(session.scheduled_at)}
                ]
            }
        )


def check_time_has_come(session) -> None:
    """A resolution is adopted at or after the session's scheduled time, not before."""
    if timezone.now() < session.scheduled_at:
        raise ValidationError(
            {
                "scheduled_at": [
                    _("会议定于 %(when)s 召开，此前不能形成决议。")
                    % {"when": _when(session.scheduled_at)}
                ]
            }
        )


def _fire_case(case, name, by, payload=None) -> None:
    from_state, to_state = fire(case, name, by)
    record_event(
        case=case, kind=name, actor=by, from_state=from_state, to_state=to_state, payload=payload
    )


@transaction.atomic
def session_create(
    *, case: Case, by, title: str, scheduled_at, agenda=(), place: str = "", video_link: str = ""
) -> JointSession:
    """Schedule a joint session for a case; a case not yet convening is convened by it."""
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以召集审联体会议。"))
    check_future(scheduled_at)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Case.Status.CONVENING:
        _fire_case(case, "convene", by)
    elif case.sessions.filter(status__in=JointSession.OPEN_STATES).exists():
        raise Conflict(_("该诉求事项已有未结束的会议。"), code="session_open")
    session = JointSession(
        case=case,
        title=_require(title, "title"),
        agenda=[str(item).strip() for item in agenda if str(item).strip()],
        scheduled_at=scheduled_at,
        place=place.strip(),
        video_link=video_link.strip(),
        convener=by,
    )
    session.full_clean(exclude=["status"])
    session.save()
    record_session_event(
        session,
        case,
        "scheduled",
        by,
        to_state=session.status,
        payload={"scheduled_at": session.scheduled_at.isoformat(), "place": session.place},
    )
    return session


RESCHEDULABLE = ["title", "scheduled_at", "agenda", "place", "video_link"]


@transaction.atomic
def session_update(*, session: JointSession, by, **fields) -> JointSession:
    """Reschedule or re-plan a session before it starts; invitees already notified are told."""
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以修改会议安排。"))
    case, session = lock_session(session)
    if session.status not in (JointSession.Status.SCHEDULED, JointSession.Status.NOTIFIED):
        raise Conflict(_("会议开始后不能再修改安排。"), code="invalid_state")
    if "scheduled_at" in fields and fields["scheduled_at"] != session.scheduled_at:
        check_future(fields["scheduled_at"])
    changed = {}
    for name, value in fields.items():
        if name in RESCHEDULABLE and getattr(session, name) != value:
            setattr(session, name, value)
            changed[name] = value.isoformat() if name == "scheduled_at" else value
    if not changed:
        return session
    session.full_clean(exclude=["status"])
    session.save()
    record_session_event(session, case, "updated", by, payload={"changes": changed})
    if session.status == JointSession.Status.NOTIFIED:
        notify_invitation(session, session.participants.select_related("person"))
    return session


@transaction.atomic
def case_convene(*, case: Case, by, **session_fields) -> Case:
    """The case transition `convene`: the same path as creating the case's first session."""
    session_create(case=case, by=by, **session_fields)
    return Case.objects.get(pk=case.pk)


def lock_session(session):
    case = Case.objects.select_for_update().get(pk=session.case_id)
    return case, JointSession.objects.select_for_update().get(pk=session.pk)


def _session_transition(session, name, by, *args, payload=None):
    case, session = lock_session(session)
    from_state, to_state = fire(session, name, by, *args)
    record_session_event(
        session, case, name, by, from_state=from_state, to_state=to_state, payload=payload
    )
    return case, session


def invitees(participant):
    if participant.person_id:
        return [participant.person]
    return list(members_of(participant.organisation_id))


def notify_invitation(session, participants) -> None:
    for participant in participants:
        notify(
            recipients=invitees(participant),
            kind=Notification.Kind.INVITATION,
            case=session.case,
            params={
                "title": session.title,
                "when": session.scheduled_at,
                "place": session.place or "-",
            },
            url=session_url(session),
        )


@transaction.atomic
def session_notify(*, session: JointSession, by) -> JointSession:
    """Send the invitations (发出会议通知)."""
    _, session = _session_transition(session, "notify", by)
    notify_invitation(session, session.participants.select_related("person"))
    return session


@transaction.atomic
def session_start(*, session: JointSession, by) -> JointSession:
    """Open the session (on its day); the required participants without an opinion are asked
    for one."""
    case, locked = lock_session(session)
    check_transition(locked, "start", by)
    check_day_has_come(locked)
    case, session = _session_transition(session, "start", by)
    for participant in session.participants.filter(required=True, opinions__isnull=True):
        recipients = invitees(participant)
        if participant.delegate_id:
            recipients.append(participant.delegate)
        notify(
            recipients=recipients,
            kind=Notification.Kind.OPINION_REQUESTED,
            case=case,
            params={"title": session.title},
            url=session_url(session),
        )
    return session


@transaction.atomic
def session_adjourn(*, session: JointSession, by, reason: str) -> JointSession:
    reason = _require(reason, "reason")
    return _session_transition(session, "adjourn", by, reason, payload={"reason": reason})[1]


@transaction.atomic
def session_cancel(*, session: JointSession, by, reason: str) -> JointSession:
    reason = _require(reason, "reason")
    return _session_transition(session, "cancel", by, reason, payload={"reason": reason})[1]


def current_opinions(session) -> list[Opinion]:
    """The latest version of each participant's opinion."""
    opinions = (
        Opinion.objects.filter(participant__session=session)
        .select_related("author", "participant__organisation", "participant__person")
        .select_related("participant__delegate")
        .prefetch_related("attachments")
        .order_by("participant_id", "-version")
    )
    latest = {}
    for opinion in opinions:
        latest.setdefault(opinion.participant_id, opinion)
    return list(latest.values())


def missing_message(missing: list[dict]) -> str:
    texts = {
        "absent": _("%(name)s 未到会"),
        "opinion": _("%(name)s 未发表意见"),
        "legal_basis": _("决议未写明法律依据"),
    }
    parts = [texts[gap["kind"]] % {"name": gap.get("name", "")} for gap in missing]
    return _("不能形成决议，尚缺：%(parts)s。") % {"parts": "；".join(parts)}


@transaction.atomic
def session_conclude(
    *,
    session: JointSession,
    by,
    summary: str,
    legal_basis: str = "",
    responsible_organisations=(),
) -> JointSession:
    """Adopt the resolution (形成决议) and move the case to deliberated.

    Refused with everything missing at once (absent required participants, their missing
    opinions, the legal basis), so the coordinator can fix it in one round.
    """
    case, session = lock_session(session)
    summary = _require(summary, "summary")
    if not by.is_coordinator:
        raise PermissionDenied(_("您无权执行此操作。"))
    if session.status != JointSession.Status.IN_PROGRESS:
        check_transition(session, "conclude", by)  # raises the state conflict
    if case.status != Case.Status.CONVENING:
        raise Conflict(_("诉求事项不在召集中，不能形成决议。"), code="invalid_state")
    check_time_has_come(session)
    responsible_organisations = list(responsible_organisations)
    allowed = set(responsible_candidates(session).values_list("pk", flat=True))
    strangers = [o for o in responsible_organisations if o.pk not in allowed]
    if strangers:
        raise ValidationError(
            {
                "responsible_organisations": [
                    _("%(names)s 与本诉求事项无关，不能作为责任单位。")
                    % {"names": "、".join(str(o) for o in strangers)}
                ]
            }
        )
    missing = session.quorum_missing()
    if not (legal_basis or "").strip():
        missing.append({"kind": "legal_basis"})
    if missing:
        raise Conflict(
            missing_message(missing), code="quorum_not_met", details={"missing": missing}
        )
    from_state, to_state = fire(session, "conclude", by)
    opinions = current_opinions(session)
    tally = dict.fromkeys(Opinion.Stance.values, 0) | Counter(o.stance for o in opinions)
    resolution = Resolution.objects.create(
        session=session,
        summary=summary,
        legal_basis=legal_basis.strip(),
        tally=tally,
        adopted_by=by,
    )
    resolution.responsible_organisations.set(responsible_organisations)
    record_session_event(
        session,
        case,
        "conclude",
        by,
        from_state=from_state,
        to_state=to_state,
        payload={"summary": summary, "legal_basis": resolution.legal_basis, "tally": tally},
    )
    _fire_case(case, "deliberate", by, payload={"session": session.pk})
    return session


def responsible_candidates(session):
    """The organisations a resolution may hold responsible: the government side (the office,
    departments, third parties) and the case's own enterprise, never another enterprise."""
    return Organisation.objects.filter(is_active=True).filter(
        Q(kind__in=[Organisation.Kind.OFFICE, Organisation.Kind.DEPARTMENT])
        | Q(kind=Organisation.Kind.THIRD_PARTY)
        | Q(pk=session.case.enterprise_id)
    )


FOLLOW_UP_FROM = [JointSession.Status.ADJOURNED, JointSession.Status.CANCELLED]


@transaction.atomic
def session_follow_up(
    *,
    session: JointSession,
    by,
    scheduled_at,
    title: str = "",
    agenda=None,
    place=None,
    video_link=None,
    carry_participants: bool = True,
) -> JointSession:
    """After an adjournment (续会) or a cancellation (改期), schedule the case's next session:
    the same title, agenda, place and link unless changed, and the same participants, invited
    again (they are notified when the coordinator sends the new session's notice)."""
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以召集审联体会议。"))
    case = Case.objects.select_for_update().get(pk=session.case_id)
    previous = JointSession.objects.get(pk=session.pk)
    if previous.status not in FOLLOW_UP_FROM:
        raise Conflict(_("只有休会或已取消的会议才能安排续会或改期。"), code="invalid_state")
    if case.status != Case.Status.CONVENING:
        raise Conflict(_("诉求事项不在召集中，不能再安排会议。"), code="invalid_state")
    new = session_create(
        case=case,
        by=by,
        title=(title or "").strip() or previous.title,
        scheduled_at=scheduled_at,
        agenda=previous.agenda if agenda is None else agenda,
        place=previous.place if place is None else place,
        video_link=previous.video_link if video_link is None else video_link,
    )
    if carry_participants:
        for old in previous.participants.select_related("organisation", "person__organisation"):
            if (old.person is not None and not old.person.is_active) or another_enterprise(
                case, old.organisation, old.person
            ):
                # Invited again under the same guard: someone who has left, or has moved to
                # another enterprise since, is not carried over.
                continue
            participant = SessionParticipant.objects.create(
                session=new,
                capacity=old.capacity,
                organisation=old.organisation,
                person=old.person,
                required=old.required,
            )
            record_session_event(
                new,
                new.case,
                "participant_invited",
                by,
                payload={
                    "participant": participant.pk,
                    "name": participant.display_name,
                    "capacity": participant.capacity,
                    "required": participant.required,
                    "follow_up_of": previous.pk,
                },
            )
    return new


@transaction.atomic
def attachment_share(*, attachment, by, shared: bool):
    """The coordinator marks a case attachment as shared with the session's participants (or
    withdraws it); shared attachments are what an invited representative may read."""
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以与参会方共享附件。"))
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    shared = bool(shared)
    if attachment.shared_with_participants != shared:
        attachment.shared_with_participants = shared
        attachment.save(update_fields=["shared_with_participants"])
    return attachment
