"""Output and input shapes of the case API: the case, its timeline, attachments and comments."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Attachment, Case, Category, Comment
from config.api.fields import ChoiceLabelField, PrebuiltFieldsMixin
from config.api.rows import choice_labels, iso_date, iso_datetime
from departments.serializers import OrganisationRefSerializer, UserRefSerializer
from workflow.deadlines.clock_state import clock_view, live_state, working_days_left
from workflow.deadlines.models import Clock
from workflow.items.models import ActionItem
from workflow.items.serializers import ActionItemSerializer, action_item_list_rows
from workflow.record.models import Event
from workflow.record.timeline import kind_label, to_state_label


class CategoryRefSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name"]


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class CaseListSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    category = CategoryRefSerializer(read_only=True)
    enterprise = OrganisationRefSerializer(read_only=True)
    status_display = ChoiceLabelField(source="status", choices=Case.Status.choices)
    owner = UserRefSerializer(read_only=True, allow_null=True, help_text="承办人 in the office")
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "title",
            "status",
            "status_display",
            "category",
            "enterprise",
            "urgency",
            "source_channel",
            "project_name",
            "owner",
            "progress",
            "created_at",
            "updated_at",
        ]

    def get_progress(self, case) -> ProgressSerializer:
        # Annotated by the list query; computed from the prefetched items on a detail.
        if hasattr(case, "items_total"):
            return {"done": case.items_done, "total": case.items_total}
        items = [i for i in case.action_items.all() if i.status != ActionItem.Status.CANCELLED]
        return {"done": sum(i.status == ActionItem.Status.DONE for i in items), "total": len(items)}


def case_list_rows(rows) -> list[dict]:
    """CaseListSerializer's JSON for rows read by selectors.case_list_values, built directly
    (config/api/rows.py says why); tests/test_list_rows.py holds the two to the same output."""
    statuses = choice_labels(Case.Status)
    return [
        {
            "id": row["id"],
            "reference": row["reference"],
            "title": row["title"],
            "status": row["status"],
            "status_display": statuses.get(row["status"], row["status"]),
            "category": {"id": row["category_id"], "name": row["category_name"]},
            "enterprise": {
                "id": row["enterprise_id"],
                "name": row["enterprise_name"],
                "kind": row["enterprise_kind"],
            },
            "urgency": row["urgency"],
            "source_channel": row["source_channel"],
            "project_name": row["project_name"],
            "owner": {
                "id": row["owner_id"],
                "username": row["owner_username"],
                "name": row["owner_display_name"] or row["owner_username"],
            }
            if row["owner_id"]
            else None,
            "progress": {"done": row["items_done"], "total": row["items_total"]},
            "created_at": iso_datetime(row["created_at"]),
            "updated_at": iso_datetime(row["updated_at"]),
        }
        for row in rows
    ]


class ClockSerializer(serializers.Serializer):
    """A clock as people see it today: its live state and the working days left."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Clock.Kind.choices)
    kind_display = serializers.CharField()
    started = serializers.DateField()
    due = serializers.DateField()
    limit_days = serializers.IntegerField(allow_null=True)
    paused_days = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Clock.State.choices)
    state_display = serializers.CharField()
    working_days_left = serializers.IntegerField(allow_null=True)
    stopped = serializers.DateField(allow_null=True)
    calendar_gap = serializers.BooleanField()


class CaseDetailSerializer(CaseListSerializer):
    filed_by = UserRefSerializer(read_only=True)
    action_items = ActionItemSerializer(many=True, read_only=True)
    clocks = serializers.SerializerMethodField()

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, case):
        return ClockSerializer([clock_view(c) for c in case.clocks.all()], many=True).data

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "description",
            "location",
            "desired_date",
            "filed_by",
            "rating",
            "submitted_at",
            "resolved_at",
            "closed_at",
            "action_items",
            "clocks",
        ]


def clock_rows(rows, today, calendar) -> list[dict]:
    """ClockSerializer's JSON of clock_view for rows of selectors.CLOCK_COLUMNS."""
    kinds = choice_labels(Clock.Kind)
    states = choice_labels(Clock.State)
    shown = []
    for row in rows:
        state = row["state"]
        left = None
        if state in ("running", "yellow", "red"):
            state = live_state(row["started"], row["due"], today, calendar)
            left = working_days_left(row["due"], today, calendar)
        shown.append(
            {
                "id": row["id"],
                "kind": row["kind"],
                "kind_display": kinds.get(row["kind"], row["kind"]),
                "started": iso_date(row["started"]),
                "due": iso_date(row["due"]),
                "limit_days": row["limit_days"],
                "paused_days": row["paused_days"],
                "state": state,
                "state_display": states[state],
                "working_days_left": left,
                "stopped": iso_date(row["stopped"]),
                "calendar_gap": row["calendar_gap"],
            }
        )
    return shown


def case_detail_row(row, items: list, evidence: dict, clocks: list, today, calendar) -> dict:
    """CaseDetailSerializer's JSON for a row of selectors.case_detail_values, the case's item
    rows (selectors of the item list), their evidence ids and its clock rows, built directly
    (config/api/rows.py says why); tests/test_list_rows.py holds the two to the same output."""
    live = [item for item in items if item["status"] != ActionItem.Status.CANCELLED]
    done = sum(item["status"] == ActionItem.Status.DONE for item in live)
    shown = case_list_rows([{**row, "items_done": done, "items_total": len(live)}])[0]
    shown.update(
        {
            "description": row["description"],
            "location": row["location"],
            "desired_date": iso_date(row["desired_date"]),
            "filed_by": {
                "id": row["filed_by_id"],
                "username": row["filed_by_username"],
                "name": row["filed_by_display_name"] or row["filed_by_username"],
            },
            "rating": row["rating"],
            "submitted_at": iso_datetime(row["submitted_at"]),
            "resolved_at": iso_datetime(row["resolved_at"]),
            "closed_at": iso_datetime(row["closed_at"]),
            "action_items": action_item_list_rows(items, evidence),
            "clocks": clock_rows(clocks, today, calendar),
        }
    )
    return shown


class CaseCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, label=_("标题"))
    description = serializers.CharField(max_length=20000, label=_("诉求描述"))
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), label=_("问题类别")
    )
    project_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Case.Urgency.choices, required=False)
    desired_date = serializers.DateField(required=False, allow_null=True)
    submit = serializers.BooleanField(
        required=False, default=False, help_text="File the case at once instead of a draft."
    )


class CaseUpdateSerializer(serializers.Serializer):
    """PATCH on a case: its enterprise edits the draft (any of these fields) or corrects the
    case returned for more information (title and description); only the fields sent change."""

    title = serializers.CharField(max_length=200, required=False, label=_("标题"))
    description = serializers.CharField(max_length=20000, required=False, label=_("诉求描述"))
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, label=_("问题类别")
    )
    project_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Case.Urgency.choices, required=False)
    desired_date = serializers.DateField(required=False, allow_null=True)

    def validate(self, data):
        if not data:
            raise serializers.ValidationError(_("请至少修改一项内容。"))
        return data


class EventSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    actor_organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    label = serializers.SerializerMethodField(
        help_text="What happened, in the reader's language (the timeline's verb)."
    )
    to_state_label = serializers.SerializerMethodField(
        help_text="The new state in words, named by the machine it belongs to; empty if none."
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "case",
            "kind",
            "actor",
            "actor_organisation",
            "action_item",
            "from_state",
            "to_state",
            "to_state_label",
            "label",
            "payload",
            "created_at",
        ]

    def get_label(self, event) -> str:
        return kind_label(event.kind)

    def get_to_state_label(self, event) -> str:
        return to_state_label(event.kind, event.to_state)


def event_list_rows(rows) -> list[dict]:
    """EventSerializer's JSON for rows read by selectors.event_list_values, built directly
    (config/api/rows.py says why); tests/test_list_rows.py holds the two to the same output."""
    return [
        {
            "id": row["id"],
            "case": row["case_id"],
            "kind": row["kind"],
            "actor": None
            if row["actor_id"] is None
            else {
                "id": row["actor_id"],
                "username": row["actor_username"],
                "name": row["actor_display_name"] or row["actor_username"],
            },
            "actor_organisation": None
            if row["actor_organisation_id"] is None
            else {
                "id": row["actor_organisation_id"],
                "name": row["actor_organisation_name"],
                "kind": row["actor_organisation_kind"],
            },
            "action_item": row["action_item_id"],
            "from_state": row["from_state"],
            "to_state": row["to_state"],
            "to_state_label": to_state_label(row["kind"], row["to_state"]),
            "label": kind_label(row["kind"]),
            "payload": row["payload"],
            "created_at": iso_datetime(row["created_at"]),
        }
        for row in rows
    ]


class AttachmentSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    uploaded_by = UserRefSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, attachment) -> str:
        return reverse(
            "api-case-attachment-download",
            kwargs={"pk": attachment.case_id, "attachment_id": attachment.pk},
        )


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False, use_url=False)


class CommentSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "visibility", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"body": {"max_length": 10000}}
