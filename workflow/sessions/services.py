"""Use cases of a joint session (审联体会议): convene, notify, start, conclude, adjourn, cancel.

Lock order everywhere: the case, then the session, then a participant, so two writers never
deadlock and a conclusion cannot interleave with a late opinion.
"""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Case
from config.fsm import Conflict, check_transition, fire
from workflow.notifications.models import Notification
from workflow.notifications.services import members_of, notify
from workflow.realtime.sessions import publish_session
from workflow.record.services import record_event
from workflow.sessions.models import JointSession, Opinion, Resolution


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
    """Open the session; the required participants without an opinion are asked for one."""
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
