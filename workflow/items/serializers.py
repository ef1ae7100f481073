"""Output and input shapes of the action item API, and of an assignment (交办) to a department."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config import timesource
from config.api.fields import ChoiceLabelField, PrebuiltFieldsMixin
from config.api.rows import choice_labels, iso_date, iso_datetime
from departments.models import Organisation
from departments.serializers import OrganisationRefSerializer
from workflow.items.models import ActionItem


class ActionItemSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    owner = OrganisationRefSerializer(read_only=True)
    status_display = ChoiceLabelField(source="status", choices=ActionItem.Status.choices)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    case_title = serializers.CharField(source="case.title", read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "case",
            "case_reference",
            "case_title",
            "owner",
            "title",
            "deliverable",
            "due_date",
            "status",
            "status_display",
            "status_reason",
            "completion_note",
            "evidence",
            "overdue",
            "created_at",
            "updated_at",
            "completed_at",
        ]


def action_item_list_rows(rows, evidence: dict) -> list[dict]:
    """ActionItemSerializer's JSON for rows read by selectors.action_item_list_values, built
    directly (config/api/rows.py says why); `evidence` maps an item's id to its attachment ids.
    tests/test_list_rows.py holds the two to the same output."""
    statuses = choice_labels(ActionItem.Status)
    today = timesource.today()
    closed = set(ActionItem.CLOSED_STATES)
    return [
        {
            "id": row["id"],
            "case": row["case_id"],
            "case_reference": row["case_reference"],
            "case_title": row["case_title"],
            "owner": {"id": row["owner_id"], "name": row["owner_name"], "kind": row["owner_kind"]},
            "title": row["title"],
            "deliverable": row["deliverable"],
            "due_date": iso_date(row["due_date"]),
            "status": row["status"],
            "status_display": statuses.get(row["status"], row["status"]),
            "status_reason": row["status_reason"],
            "completion_note": row["completion_note"],
            "evidence": evidence.get(row["id"], []),
            "overdue": row["status"] not in closed and row["due_date"] < today,
            "created_at": iso_datetime(row["created_at"]),
            "updated_at": iso_datetime(row["updated_at"]),
            "completed_at": iso_datetime(row["completed_at"]),
        }
        for row in rows
    ]


class AssignmentSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(
            is_active=True, kind__in=[Organisation.Kind.DEPARTMENT, Organisation.Kind.THIRD_PARTY]
        ),
        label=_("承办单位"),
    )
    title = serializers.CharField(max_length=200, label=_("任务"))
    deliverable = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    due_date = serializers.DateField(label=_("办理期限"), required=False)
    due_in_working_days = serializers.IntegerField(
        min_value=1,
        max_value=250,
        required=False,
        label=_("办理时限（工作日）"),
        help_text="Instead of due_date: this many working days from today.",
    )

    def validate(self, attrs):
        if ("due_date" in attrs) == ("due_in_working_days" in attrs):
            raise serializers.ValidationError(
                {"due_date": [_("请填写办理期限或办理时限（工作日），二选一。")]}
            )
        return attrs
