"""The transitions of a case as the API offers them: name → model method, input, service."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Case
from config.api.transitions import ReasonInput, TransitionSpec
from workflow.casefile import services
from workflow.items.models import ActionItem
from workflow.items.serializers import AssignmentSerializer
from workflow.items.services import case_assign, case_resolve, case_send_back
from workflow.sessions.serializers import SessionFieldsSerializer
from workflow.sessions.services import case_convene


class AcceptInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ResubmitInput(serializers.Serializer):
    reply = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, label=_("补正说明")
    )


class AssignInput(serializers.Serializer):
    assignments = AssignmentSerializer(many=True, allow_empty=False, max_length=50)


class ConfirmInput(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Case.Rating.choices, label=_("评价"))
    comment = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        label=_("评价说明"),
        help_text=_("选择“不满意”将退回政务服务办重新办理，请写明仍未解决的问题（必填）。"),
    )


class SendBackInput(serializers.Serializer):
    # An empty choice is refused by the service, after the state is checked (409 first).
    items = serializers.PrimaryKeyRelatedField(
        queryset=ActionItem.objects.all(), many=True, allow_empty=True, label=_("退回重办的任务")
    )
    reason = serializers.CharField(max_length=2000, label=_("退回原因"))
    due_date = serializers.DateField(label=_("重办期限"))

    def validate_items(self, items):
        case_id = self.context["object"].pk
        if any(item.case_id != case_id for item in items):
            raise serializers.ValidationError(_("只能退回本诉求事项中已办结的任务。"))
        return items


CASE_TRANSITIONS = {
    "submit": TransitionSpec("submit", _("提交"), services.case_submit),
    "return_for_info": TransitionSpec(
        "return_for_info", _("退回补正"), services.case_return_for_info, ReasonInput
    ),
    "resubmit": TransitionSpec(
        "resubmit", _("补正后重新提交"), services.case_resubmit, ResubmitInput
    ),
    "reject": TransitionSpec(
        "reject", _("不予受理"), services.case_reject, ReasonInput, confirm=True
    ),
    "accept": TransitionSpec("accept", _("受理"), services.case_accept, AcceptInput),
    "assign": TransitionSpec("assign", _("交办"), case_assign, AssignInput),
    "convene": TransitionSpec("convene", _("召集审联体"), case_convene, SessionFieldsSerializer),
    # 出台实施细则 is not fired here: the office leader's approval of a sign-off issues the
    # rules (workflow.implementation.services.rule_sign_off_approve).
    "resolve": TransitionSpec("resolve", _("提请企业评价"), case_resolve),
    "send_back": TransitionSpec("send_back", _("退回重办"), case_send_back, SendBackInput),
    "confirm": TransitionSpec(
        "confirm", _("评价办理结果"), services.case_confirm, ConfirmInput, confirm=True
    ),
    "withdraw": TransitionSpec(
        "withdraw", _("撤回"), services.case_withdraw, ReasonInput, confirm=True
    ),
}
