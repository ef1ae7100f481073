"""The transitions of an action item as the API offers them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Attachment
from config.api.transitions import ReasonInput, TransitionSpec
from departments.models import Organisation
from workflow.items import services


class CompleteInput(serializers.Serializer):
    note = serializers.CharField(max_length=5000, label=_("办结说明"))
    evidence = serializers.PrimaryKeyRelatedField(
        queryset=Attachment.objects.all(), many=True, required=False, label=_("佐证材料")
    )

    def validate_evidence(self, attachments):
        case_id = self.context["object"].case_id
        if any(attachment.case_id != case_id for attachment in attachments):
            raise serializers.ValidationError(_("佐证材料必须是本诉求事项的附件。"))
        return attachments


class ReassignInput(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(
            is_active=True, kind__in=[Organisation.Kind.DEPARTMENT, Organisation.Kind.THIRD_PARTY]
        ),
        label=_("新承办单位"),
    )


ACTION_ITEM_TRANSITIONS = {
    "sign": TransitionSpec("sign", _("签收"), services.action_item_sign),
    "return": TransitionSpec(
        "return_to_coordinator", _("退回"), services.action_item_return, ReasonInput
    ),
    "start": TransitionSpec("start", _("开始办理"), services.action_item_start),
    "block": TransitionSpec("block", _("报告受阻"), services.action_item_block, ReasonInput),
    "unblock": TransitionSpec("unblock", _("解除受阻"), services.action_item_unblock),
    "complete": TransitionSpec(
        "complete", _("办结"), services.action_item_complete, CompleteInput, confirm=True
    ),
    "reassign": TransitionSpec(
        "reassign", _("重新交办"), services.action_item_reassign, ReassignInput
    ),
    "cancel": TransitionSpec(
        "cancel", _("撤销"), services.action_item_cancel, ReasonInput, confirm=True
    ),
}
