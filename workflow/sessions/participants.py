"""Use cases of a session's participants: invite, answer the invitation, mark attendance."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CaseInvolvement, sync_case_access
from config.fsm import Conflict, fire
from departments.models import Organisation, User
from workflow.sessions.models import JointSession, SessionParticipant
from workflow.sessions.permissions import another_enterprise, of_another_enterprise
from workflow.sessions.services import lock_session, notify_invitation, record_session_event

Capacity = SessionParticipant.Capacity

# Capacities that are an organisation of one kind; the representatives' must be a person.
ORGANISATION_KIND = {
    Capacity.DEPARTMENT: Organisation.Kind.DEPARTMENT,
    Capacity.THIRD_PARTY: Organisation.Kind.THIRD_PARTY,
    Capacity.ENTERPRISE: Organisation.Kind.ENTERPRISE,
}
REPRESENTATIVES = [
    Capacity.CITIZEN,
    Capacity.NPC_DEPUTY,
    Capacity.CPPCC_MEMBER,
    Capacity.LEGAL_EXPERT,
]


def _check_invitee(session, capacity, organisation, person) -> None:
    if organisation is None and person is None:
        raise ValidationError({"organisation": [_("请指定参会单位或参会人。")]})
    if person is not None and (person.is_superuser or not person.is_active):
        raise ValidationError({"person": [_("不能邀请系统管理员或已停用的账号。")]})
    if another_enterprise(session.case, organisation, person):
        # Another enterprise's staff would see this case: never, whatever the capacity.
        raise ValidationError({"organisation": [_("只能邀请本诉求事项的企业。")]})
    if (
        person is not None
        and organisation is not None
        and person.organisation_id != organisation.pk
    ):
        raise ValidationError({"person": [_("参会人必须是该单位的人员。")]})
    kind = ORGANISATION_KIND.get(capacity)
    if kind and (organisation is None or organisation.kind != kind):
        raise ValidationError({"organisation": [_("参会身份与单位类型不符。")]})
    if capacity in REPRESENTATIVES and (
        person is None or person.representative_capacity != capacity
    ):
        raise ValidationError({"person": [_("请选择具有该代表身份的人员。")]})


@transaction.atomic
def participant_invite(
    *, session: JointSession, by, capacity: str, organisation=None, person=None, required=False
) -> SessionParticipant:
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以邀请参会方。"))
    case, session = lock_session(session)
    if not session.is_open:
        raise Conflict(_("会议已结束，不能再邀请参会方。"), code="invalid_state")
    if capacity not in Capacity.values:
        raise ValidationError({"capacity": [_("未知的参会身份。")]})
    _check_invitee(session, capacity, organisation, person)
    if person is not None:
        duplicate = session.participants.filter(person=person)
    else:
        duplicate = session.participants.filter(person=None, organisation=organisation)
    if duplicate.exists():
        raise ValidationError({"person" if person else "organisation": [_("已邀请过。")]})
    participant = SessionParticipant.objects.create(
        session=session,
        capacity=capacity,
        organisation=organisation,
        person=person,
        required=required,
    )
    if organisation is not None and organisation.kind != Organisation.Kind.ENTERPRISE:
        # An invited organisation sees the case; a representative sees only the session.
        CaseInvolvement.objects.get_or_create(
            case=case, organisation=organisation, reason=CaseInvolvement.Reason.SESSION
        )
        sync_case_access(case)
    record_session_event(
        session,
        case,
        "participant_invited",
        by,
        payload={
            "participant": participant.pk,
            "name": participant.display_name,
            "capacity": capacity,
            "required": required,
        },
    )
    if session.status != JointSession.Status.SCHEDULED:
        notify_invitation(session, [participant])  # invitations already went out
    return participant


ANSWERS = {
    SessionParticipant.Rsvp.ACCEPTED: "accept",
    SessionParticipant.Rsvp.DECLINED: "decline",
    SessionParticipant.Rsvp.DELEGATED: "delegate_to",
}


@transaction.atomic
def participant_rsvp(
    *, participant: SessionParticipant, by, answer: str, delegate=None, note: str = ""
) -> SessionParticipant:
    """The invitee answers: accepted, declined, or delegated to a named colleague."""
    case, session = lock_session(participant.session)
    participant = SessionParticipant.objects.select_for_update().get(pk=participant.pk)
    participant.session = session
    if answer not in ANSWERS:
        raise ValidationError({"answer": [_("请选择 accepted、declined 或 delegated。")]})
    args = [note.strip()]
    if answer == SessionParticipant.Rsvp.DELEGATED:
        if delegate is None:
            raise ValidationError({"delegate": [_("请指定受托参会的同事。")]})
        if participant.organisation_id is None:
            raise ValidationError({"delegate": [_("个人代表不能委托他人参会。")]})
        if delegate.organisation_id != participant.organisation_id or not delegate.is_active:
            raise ValidationError({"delegate": [_("受托人必须是本单位的在职人员。")]})
        args = [delegate, note.strip()]
    from_state, to_state = fire(participant, ANSWERS[answer], by, *args)
    record_session_event(
        session,
        case,
        "rsvp",
        by,
        from_state=from_state,
        to_state=to_state,
        payload={
            "participant": participant.pk,
            "name": participant.display_name,
            "answer": answer,
            "delegate": participant.delegate_id,
            "note": participant.rsvp_note,
        },
    )
    return participant


@transaction.atomic
def participant_mark_attendance(
    *, participant: SessionParticipant, by, attendance: str
) -> SessionParticipant:
    """The coordinator marks who is present (in person or by delegate) during the session."""
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以登记出席情况。"))
    if attendance not in (
        SessionParticipant.Attendance.PRESENT,
        SessionParticipant.Attendance.ABSENT,
    ):
        raise ValidationError({"attendance": [_("请选择 present 或 absent。")]})
    case, session = lock_session(participant.session)
    if session.status != JointSession.Status.IN_PROGRESS:
        raise Conflict(_("会议进行中才能登记出席情况。"), code="invalid_state")
    participant = SessionParticipant.objects.select_for_update().get(pk=participant.pk)
    participant.attendance = attendance
    participant.save(update_fields=["attendance"])
    record_session_event(
        session,
        case,
        "attendance",
        by,
        payload={
            "participant": participant.pk,
            "name": participant.display_name,
            "attendance": attendance,
            "at": timezone.now().isoformat(),
        },
    )
    return participant


def invitable(session) -> dict[str, list]:
    """Who may be invited in each capacity and is not invited yet: the choices of the invite
    form, the same rules as `_check_invitee` (never another enterprise, never the admin)."""
    invited_orgs = set(
        session.participants.filter(person=None).values_list("organisation_id", flat=True)
    )
    invited_people = set(
        session.participants.exclude(person=None).values_list("person_id", flat=True)
    )
    organisations = Organisation.objects.filter(is_active=True).exclude(pk__in=invited_orgs)
    choices = {}
    for capacity, kind in ORGANISATION_KIND.items():
        found = organisations.filter(kind=kind)
        if capacity == Capacity.ENTERPRISE:
            found = found.filter(pk=session.case.enterprise_id)
        choices[capacity] = list(found.order_by("name"))
    people = (
        User.objects.filter(is_active=True, is_superuser=False)
        .exclude(pk__in=invited_people)
        .exclude(of_another_enterprise(session.case))
        .select_related("organisation")
    )
    for capacity in REPRESENTATIVES:
        choices[capacity] = list(people.filter(representative_capacity=capacity).order_by("pk"))
    # Observers (列席): government organisations, never an enterprise.
    choices[Capacity.OBSERVER] = list(
        organisations.filter(
            kind__in=[Organisation.Kind.OFFICE, Organisation.Kind.DEPARTMENT]
        ).order_by("name")
    )
    return choices


@transaction.atomic
def participants_invite(*, session: JointSession, by, invitations) -> list[SessionParticipant]:
    """Invite several parties in one step, all or none: each entry is a dict of `capacity`,
    `organisation` or `person`, and `required`. A refusal names the party it is about."""
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以邀请参会方。"))
    invitations = list(invitations)
    if not invitations:
        raise ValidationError({"invitations": [_("请至少选择一个参会方。")]})
    invited = []
    for entry in invitations:
        name = str(entry.get("person") or entry.get("organisation") or "")
        try:
            invited.append(
                participant_invite(
                    session=session,
                    by=by,
                    capacity=entry.get("capacity", ""),
                    organisation=entry.get("organisation"),
                    person=entry.get("person"),
                    required=bool(entry.get("required")),
                )
            )
        except ValidationError as invalid:
            lines = invalid.messages
            raise ValidationError(
                {
                    "invitations": [
                        _("%(name)s：%(reason)s") % {"name": name, "reason": line} for line in lines
                    ]
                }
            ) from invalid
    return invited


@transaction.atomic
def participants_mark_all_present(*, session: JointSession, by) -> list[SessionParticipant]:
    """全部到会: every participant not yet marked, and who has not declined, is present; the
    coordinator then marks the exceptions one by one."""
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以登记出席情况。"))
    _case, session = lock_session(session)
    if session.status != JointSession.Status.IN_PROGRESS:
        raise Conflict(_("会议进行中才能登记出席情况。"), code="invalid_state")
    marked = []
    unmarked = (
        session.participants.select_for_update()
        .filter(attendance=SessionParticipant.Attendance.UNMARKED)
        .exclude(status=SessionParticipant.Rsvp.DECLINED)
    )
    for participant in unmarked:
        marked.append(
            participant_mark_attendance(
                participant=participant, by=by, attendance=SessionParticipant.Attendance.PRESENT
            )
        )
    return marked
