"""Who may fire a joint session's or a participant's transition, and the guards on them."""

from django.utils.translation import gettext_lazy as _


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
