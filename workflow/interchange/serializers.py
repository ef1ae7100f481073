"""What an external system sends to file a case, and what it gets back."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Case, Category
from workflow.interchange.outbound import open311_status


class ExternalCaseCreateSerializer(serializers.Serializer):
    external_reference = serializers.CharField(
        max_length=100, label=_("外部编号"), help_text="The system's own id of the work order."
    )
    credit_code = serializers.CharField(
        max_length=18,
        required=False,
        allow_blank=True,
        help_text="统一社会信用代码 of the enterprise; needed unless the key files for one.",
    )
    enterprise_name = serializers.CharField(
        max_length=150, required=False, allow_blank=True, help_text="Used when it is new here."
    )
    title = serializers.CharField(max_length=200, label=_("标题"))
    description = serializers.CharField(max_length=20000, label=_("诉求描述"))
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(is_active=True), label=_("问题类别")
    )
    project_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Case.Urgency.choices, required=False)
    desired_date = serializers.DateField(required=False, allow_null=True)


class ExternalCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    external_reference = serializers.CharField(source="external.external_reference")
    status = serializers.ChoiceField(choices=Case.Status.choices)
    open311_status = serializers.SerializerMethodField()
    source_channel = serializers.ChoiceField(choices=Case.SourceChannel.choices)
    enterprise_credit_code = serializers.CharField(source="enterprise.credit_code")
    enterprise_verified = serializers.BooleanField(source="enterprise.is_verified")
    created_at = serializers.DateTimeField()

    def get_open311_status(self, case) -> str:
        return open311_status(case.status)
