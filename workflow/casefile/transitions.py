"""The transitions of a case as the API offers them: name → model method, input, service."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Case
from config.api.transitions import ReasonInput, TransitionSpec
from workflow.casefile import services
from workflow.implementation.services import case_issue_rules
from workflow.items.serializers import AssignmentSerializer
from workflow.items.services import case_assign, case_resolve
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
        max_length=5000, required=False, allow_blank=True, label=_("评价说明")
    )


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
    "issue_rules": TransitionSpec("issue_rules", _("出台实施细则"), case_issue_rules, confirm=True),
    "resolve": TransitionSpec("resolve", _("办结"), case_resolve),
    "confirm": TransitionSpec(
        "confirm", _("确认评价"), services.case_confirm, ConfirmInput, confirm=True
    ),
    "withdraw": TransitionSpec(
        "withdraw", _("撤回"), services.case_withdraw, ReasonInput, confirm=True
    ),
}
