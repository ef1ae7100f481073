"""What the item pages read: visible action items with their open clocks."""

from django.db.models import F, Prefetch

from workflow.deadlines.models import Clock
from workflow.items.models import ActionItem


def item_rows(user):
    items = ActionItem.objects.listed_for(user)
    open_clocks = Prefetch("clocks", queryset=Clock.objects.open())
    return items.select_related("owner", "case").prefetch_related(open_clocks)


# The item's own columns in a list row.
ITEM_ROW_COLUMNS = (
    "id",
    "case_id",
    "owner_id",
    "title",
    "deliverable",
    "due_date",
    "status",
    "status_reason",
    "completion_note",
    "created_at",
    "updated_at",
    "completed_at",
)


def action_item_list_values(items):
    """`items` as the API's list rows (`values()`, shaped by serializers.action_item_list_rows):
    the item's own columns, its case's reference and title, its owner."""
    return items.prefetch_related(None).values(
        *ITEM_ROW_COLUMNS,
        case_reference=F("case__reference"),
        case_title=F("case__title"),
        owner_name=F("owner__name"),
        owner_kind=F("owner__kind"),
    )


def evidence_ids(item_ids) -> dict:
    """{item id: [attachment ids]} of the given items, in the order their detail shows them."""
    evidence = {}
    links = (
        ActionItem.evidence.through.objects.filter(actionitem_id__in=item_ids)
        .order_by("-attachment__uploaded_at", "-attachment_id")
        .values_list("actionitem_id", "attachment_id")
    )
    for item_id, attachment_id in links:
        evidence.setdefault(item_id, []).append(attachment_id)
    return evidence
