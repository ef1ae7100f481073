"""The transitions of a joint session as the API offers them."""

from django.utils.translation import gettext_lazy as _

from config.api.transitions import ReasonInput, TransitionSpec
from workflow.sessions import services
from workflow.sessions.serializers import ConcludeInput

SESSION_TRANSITIONS = {
    "notify": TransitionSpec("notify", _("发出会议通知"), services.session_notify),
    "start": TransitionSpec("start", _("开始会议"), services.session_start),
    "conclude": TransitionSpec(
        "conclude", _("形成决议"), services.session_conclude, ConcludeInput, confirm=True
    ),
    "adjourn": TransitionSpec("adjourn", _("休会"), services.session_adjourn, ReasonInput),
    "cancel": TransitionSpec(
        "cancel", _("取消会议"), services.session_cancel, ReasonInput, confirm=True
    ),
}
