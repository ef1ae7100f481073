"""What the case pages read: visible cases with the figures their lists show, one case and its
timeline."""

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from cases.models import Case
from cases.search import bigram_aliases, term_matches
from departments.models import Organisation
from workflow.deadlines.models import Clock
from workflow.items.models import ActionItem
from workflow.record.models import Event

# A term that names more enterprises than this is not a name: the cases' own text decides.
ENTERPRISES_PER_TERM = 50


def case_rows(user):
    """Visible cases as the lists show them; figures are added per page (`with_progress`)."""
    return Case.objects.visible_to(user).select_related("category", "enterprise")


def with_progress(cases) -> list:
    """The cases of one page, each with `items_done` and `items_total` of its live items.

    One query over the page's items: counting in the list query would group every visible case
    before the page is cut from it.
    """
    cases = list(cases)
    counts = {
        row["case_id"]: row
        for row in ActionItem.objects.filter(case_id__in=[case.pk for case in cases])
        .exclude(status=ActionItem.Status.CANCELLED)
        .order_by()
        .values("case_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=ActionItem.Status.DONE)))
    }
    for case in cases:
        row = counts.get(case.pk, {})
        case.items_total = row.get("total", 0)
        case.items_done = row.get("done", 0)
    return cases


def _live_items_count(**conditions):
    """The count of a case's live items as a correlated subquery: PostgreSQL runs it only for
    the rows the LIMIT keeps (after the sort, when there is one), so the figures of a page cost
    no query of their own. Built once: a query resolves (copies) it each time it is used."""
    items = (
        ActionItem.objects.filter(case_id=OuterRef("pk"), **conditions)
        .exclude(status=ActionItem.Status.CANCELLED)
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(items), 0)


ITEMS_TOTAL = _live_items_count()
ITEMS_DONE = _live_items_count(status=ActionItem.Status.DONE)


# What a list row and the detail both show of a case: its own columns, its category, its
# enterprise and its 承办人.
CASE_ROW_COLUMNS = (
    "id",
    "reference",
    "title",
    "status",
    "urgency",
    "source_channel",
    "project_name",
    "created_at",
    "updated_at",
    "category_id",
    "enterprise_id",
    "owner_id",
)
CASE_ROW_JOINED = {
    "category_name": F("category__name"),
    "owner_username": F("owner__username"),
    "owner_display_name": F("owner__display_name"),
    "enterprise_name": F("enterprise__name"),
    "enterprise_kind": F("enterprise__kind"),
}


def case_list_values(cases):
    """`cases` as the API's list rows (`values()`, shaped by serializers.case_list_rows): the
    case's row and the progress of its live items."""
    return cases.values(
        *CASE_ROW_COLUMNS, **CASE_ROW_JOINED, items_total=ITEMS_TOTAL, items_done=ITEMS_DONE
    )


def case_detail_values(cases):
    """`cases` as the API's detail row (`values()`, shaped by serializers.case_detail_row):
    the list's row without the progress (counted from the items) and the detail's own."""
    return cases.values(
        *CASE_ROW_COLUMNS,
        "description",
        "location",
        "desired_date",
        "filed_by_id",
        "rating",
        "submitted_at",
        "resolved_at",
        "closed_at",
        **CASE_ROW_JOINED,
        filed_by_username=F("filed_by__username"),
        filed_by_display_name=F("filed_by__display_name"),
    )


CLOCK_COLUMNS = (
    "id",
    "kind",
    "started",
    "due",
    "limit_days",
    "paused_days",
    "state",
    "stopped",
    "calendar_gap",
)


def event_list_values(events):
    """`events` as the API's timeline rows (`values()`, shaped by serializers.event_list_rows)."""
    return events.values(
        "id",
        "case_id",
        "kind",
        "actor_id",
        "actor_organisation_id",
        "action_item_id",
        "from_state",
        "to_state",
        "payload",
        "created_at",
        actor_username=F("actor__username"),
        actor_display_name=F("actor__display_name"),
        actor_organisation_name=F("actor_organisation__name"),
        actor_organisation_kind=F("actor_organisation__kind"),
    )


def text_search(queryset, text: str):
    """Cases whose title, description, reference, project or enterprise name holds every term.

    The enterprises are looked up first, so that every condition stays on the case's own
    indexed columns (cases.search): a join in the OR would make PostgreSQL read every case.
    """
    terms = text.split()[:5]
    if any(len(term) == 2 for term in terms):
        queryset = queryset.alias(**bigram_aliases())
    for term in terms:
        enterprises = Organisation.objects.filter(
            kind=Organisation.Kind.ENTERPRISE, name__icontains=term
        ).values_list("pk", flat=True)[:ENTERPRISES_PER_TERM]
        queryset = queryset.filter(term_matches(term) | Q(enterprise_id__in=list(enterprises)))
    return queryset


def case_detail(user, pk):
    items = ActionItem.objects.select_related("owner", "handler").prefetch_related(
        "clocks", "evidence"
    )
    return (
        Case.objects.visible_to(user)
        .select_related(
            "category",
            "enterprise",
            "filed_by",
            "owner",
            "external__system",
            "public_request",
        )
        .prefetch_related(
            Prefetch("action_items", queryset=items),
            Prefetch("clocks", queryset=Clock.objects.filter(action_item__isnull=True)),
            "attachments",
        )
        .filter(pk=pk)
    )


def timeline(user, case):
    return (
        Event.objects.visible_to(user)
        .filter(case=case)
        .select_related("actor", "actor_organisation", "action_item")
    )
