"""What the case pages read: visible cases with the figures their lists show, one case and its
timeline."""

from django.db.models import Count, Prefetch, Q

from cases.models import Case
from workflow.deadlines.models import Clock
from workflow.items.models import ActionItem
from workflow.record.models import Event


def case_rows(user):
    live = ~Q(action_items__status=ActionItem.Status.CANCELLED)
    return (
        Case.objects.visible_to(user)
        .select_related("category", "enterprise")
        .annotate(
            items_total=Count("action_items", filter=live),
            items_done=Count("action_items", filter=Q(action_items__status="done")),
        )
    )


def text_search(queryset, text: str):
    # Substring matching works for Chinese, which has no word boundaries to tokenize on.
    for term in text.split()[:5]:
        queryset = queryset.filter(
            Q(title__icontains=term)
            | Q(description__icontains=term)
            | Q(reference__icontains=term)
            | Q(project_name__icontains=term)
            | Q(enterprise__name__icontains=term)
        )
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
