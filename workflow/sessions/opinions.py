"""Recording opinions (意见): a new version each time, frozen once the session has ended."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config.fsm import Conflict
from workflow.sessions.models import JointSession, Opinion, SessionParticipant
from workflow.sessions.services import lock_session, record_session_event

# Opinions may be written once the invitations are out, until the session ends.
OPEN_FOR_OPINIONS = [JointSession.Status.NOTIFIED, JointSession.Status.IN_PROGRESS]


@transaction.atomic
def opinion_record(
    *, participant: SessionParticipant, by, stance: str, reasons: str = "", attachments=()
) -> Opinion:
    # The session row lock serialises this with a conclusion: no opinion lands after it.
    case, session = lock_session(participant.session)
    if not participant.speaks_for(by):
        raise PermissionDenied(_("只有参会方本人或其受托人可以发表意见。"))
    if session.status not in OPEN_FOR_OPINIONS:
        raise Conflict(_("会议已结束或尚未通知，意见不能再修改。"), code="opinions_frozen")
    if stance not in Opinion.Stance.values:
        raise ValidationError({"stance": [_("请选择同意、反对、弃权或附条件同意。")]})
    reasons = (reasons or "").strip()
    if stance in (Opinion.Stance.OBJECT, Opinion.Stance.CONDITIONAL) and not reasons:
        raise ValidationError({"reasons": [_("反对或附条件同意时请写明理由。")]})
    last = participant.opinions.order_by("-version").values_list("version", flat=True).first()
    opinion = Opinion.objects.create(
        participant=participant,
        version=(last or 0) + 1,
        stance=stance,
        reasons=reasons,
        author=by,
    )
    opinion.attachments.set(attachments)
    record_session_event(
        session,
        case,
        "opinion",
        by,
        payload={
            "participant": participant.pk,
            "name": participant.display_name,
            "opinion": opinion.pk,
            "version": opinion.version,
            "stance": stance,
            "reasons": reasons,
        },
    )
    return opinion
