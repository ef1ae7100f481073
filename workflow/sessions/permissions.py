"""Who may fire a joint session's or a participant's transition, and the guards on them."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from departments.models import Organisation


def is_coordinator(obj, user) -> bool:
    """A coordinator of the government-service office (政务服务办)."""
    return user.is_coordinator


def has_participants(session) -> bool:
    """At least one participant is invited."""
    return session.participants.exists()


has_participants.message = _("请先邀请参会方，再发出会议通知。")


def quorum_met(session) -> bool:
    """Every required participant is present and has recorded an opinion (the legal basis is
    checked with the resolution)."""
    return not session.quorum_missing()


quorum_met.message = _("法定人数或意见不足，不能形成决议。")


def is_invitee(participant, user) -> bool:
    """The invitee answers: the named person, or a member of an organisation invited as such."""
    if participant.person_id is not None:
        return user.pk == participant.person_id
    return user.belongs_to(participant.organisation_id)


def session_takes_answers(participant) -> bool:
    """The invitations are out and the session has not ended."""
    return participant.session.status in ("notified", "in_progress")


session_takes_answers.message = _("会议通知发出后、会议结束前才能回复。")


def another_enterprise(case, organisation=None, person=None) -> bool:
    """The invitation guard, for every capacity (列席 included): an organisation, or a person
    of an organisation, that is an enterprise other than the one that filed the case. Invited,
    it would read the session, the opinions and the minutes of another company's case."""
    organisations = (organisation, person.organisation if person is not None else None)
    return any(
        org.kind == Organisation.Kind.ENTERPRISE and org.pk != case.enterprise_id
        for org in organisations
        if org is not None
    )


def of_another_enterprise(case) -> Q:
    """`another_enterprise` as a filter on people: who the invite choices leave out."""
    return Q(organisation__kind=Organisation.Kind.ENTERPRISE) & ~Q(
        organisation_id=case.enterprise_id
    )
