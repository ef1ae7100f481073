"""Minutes (会议纪要) generated from a session's record: attendance, agenda, the latest version
of each opinion, and the resolution. Nothing is typed in: the minutes are the record."""

from dataclasses import dataclass

from workflow.sessions.models import JointSession, Opinion, Resolution, SessionParticipant
from workflow.sessions.services import current_opinions


@dataclass
class Minutes:
    session: JointSession
    agenda: list[str]
    participants: list[SessionParticipant]
    opinions: list[Opinion]
    resolution: Resolution | None


def session_minutes(session: JointSession) -> Minutes:
    participants = list(session.participants.select_related("organisation", "person", "delegate"))
    resolution = (
        Resolution.objects.filter(session=session)
        .select_related("adopted_by")
        .prefetch_related("responsible_organisations")
        .first()
    )
    return Minutes(
        session=session,
        agenda=list(session.agenda),
        participants=participants,
        opinions=current_opinions(session),
        resolution=resolution,
    )
