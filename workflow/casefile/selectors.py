"""What the case pages read: visible cases with the figures their lists show, one case and its
timeline."""

from django.db.models import Count, Prefetch, Q

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
    items = ActionItem.objects.select_related("owner").prefetch_related("clocks", "evidence")
    return (
        Case.objects.visible_to(user)
        .select_related("category", "enterprise", "filed_by")
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
