"""What the pages read: visible cases and items with the figures their lists show."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q

from cases.models import Case
from config import timesource
from workflow.models import ActionItem, Clock, Event
from workflow.time_limits import live_state
from workflow.working_days import WorkingCalendar

PAGE_SIZE = 20


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


def cases_with_clock_in(state: str):
    """Ids of cases with an open clock that is red (past due) or yellow (80 % used) today."""
    today = timesource.today()
    clocks = Clock.objects.open().exclude(state=Clock.State.PAUSED)
    if state == "red":
        return clocks.filter(due__lt=today).values("case_id")
    calendar = WorkingCalendar()
    return [
        c.case_id
        for c in clocks.filter(due__gte=today).only("case_id", "started", "due")
        if live_state(c.started, c.due, today, calendar) == "yellow"
    ]


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


def page_of(queryset, number):
    return Paginator(queryset, PAGE_SIZE).get_page(number)


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


def item_rows(user):
    items = ActionItem.objects.visible_to(user)
    if user.is_department_officer:
        items = items.owned_by(user)
    open_clocks = Prefetch("clocks", queryset=Clock.objects.open())
    return items.select_related("owner", "case").prefetch_related(open_clocks)
