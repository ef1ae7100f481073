"""What the standing rules API reads and writes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from departments.models import Organisation
from departments.serializers import OrganisationRefSerializer, UserRefSerializer
from workflow.casefile.serializers import CategoryRefSerializer
from workflow.standing_rules.models import (
    StandingRule,
    StandingRuleApplication,
    StandingRuleItem,
    StandingRuleVersion,
)
from workflow.standing_rules.services import MAX_WORKING_DAYS


class SourceCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class StandingRuleItemSerializer(serializers.ModelSerializer):
    owner = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = StandingRuleItem
        fields = ["number", "title", "owner", "deliverable", "working_days"]


class StandingRuleVersionSerializer(serializers.ModelSerializer):
    items = StandingRuleItemSerializer(many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    created_by = UserRefSerializer(read_only=True)
    enacted_by = UserRefSerializer(read_only=True, allow_null=True)
    retired_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StandingRuleVersion
        fields = [
            "id",
            "version",
            "status",
            "status_display",
            "summary",
            "legal_basis",
            "effective_on",
            "reason",
            "items",
            "created_by",
            "created_at",
            "enacted_by",
            "enacted_at",
            "retired_by",
            "retired_at",
            "retire_reason",
        ]


class StandingRuleSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    category = CategoryRefSerializer(read_only=True)
    source_case = SourceCaseSerializer(read_only=True)
    current_version = serializers.SerializerMethodField(
        help_text="The version in force today; null when none is (a draft, not yet effective, "
        "or retired)."
    )

    class Meta:
        model = StandingRule
        fields = [
            "id",
            "number",
            "label",
            "title",
            "category",
            "source_case",
            "current_version",
            "created_at",
        ]

    def get_current_version(self, rule) -> int | None:
        return getattr(rule, "current_version", None)


class StandingItemInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, label=_("事项"))
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(
            is_active=True, kind__in=[Organisation.Kind.DEPARTMENT, Organisation.Kind.THIRD_PARTY]
        ),
        label=_("责任单位"),
    )
    deliverable = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    working_days = serializers.IntegerField(
        min_value=1, max_value=MAX_WORKING_DAYS, label=_("办理时限（工作日）")
    )


class VersionInputSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=5000, label=_("解决方案"))
    legal_basis = serializers.CharField(max_length=5000, label=_("法律依据"))
    effective_on = serializers.DateField(label=_("生效日期"))
    items = StandingItemInputSerializer(many=True, max_length=50, allow_empty=False)
    enact = serializers.BooleanField(
        default=False, help_text="Put the new version in force at once instead of a draft."
    )


class PromoteSerializer(VersionInputSerializer):
    case = serializers.IntegerField(min_value=1, help_text="The resolved case to promote.")
    title = serializers.CharField(max_length=200, label=_("名称"))


class AmendSerializer(VersionInputSerializer):
    reason = serializers.CharField(max_length=2000, label=_("修订原因"))


class RetireSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, label=_("废止原因"))


class ApplySerializer(serializers.Serializer):
    standing_rule = serializers.IntegerField(min_value=1)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The version the caller read; refused (409) if another is in force now.",
    )


class CitedVersionSerializer(serializers.Serializer):
    """A version as a case shows it: what everyone who sees the case may read."""

    standing_rule = serializers.IntegerField(source="rule_id")
    number = serializers.IntegerField(source="rule.number")
    label = serializers.CharField()
    title = serializers.CharField(source="rule.title")
    version = serializers.IntegerField()
    effective_on = serializers.DateField()
    summary = serializers.CharField()
    legal_basis = serializers.CharField()


class ApplicationSerializer(serializers.ModelSerializer):
    version = CitedVersionSerializer(read_only=True)
    applied_by = UserRefSerializer(read_only=True)

    class Meta:
        model = StandingRuleApplication
        fields = ["case", "version", "applied_by", "applied_at"]


class OfferSerializer(CitedVersionSerializer):
    items = StandingRuleItemSerializer(many=True, source="item_rows")


class CaseStandingRuleSerializer(serializers.Serializer):
    application = ApplicationSerializer(
        allow_null=True, help_text="The standing rule the case was handled under, if any."
    )
    offers = OfferSerializer(
        many=True,
        help_text="Coordinators, while the case is at triage: the rules in force for its "
        "category that may be applied.",
    )
