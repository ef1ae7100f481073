"""The exceptions board (异常事项): what is stuck now and needs someone's hand.

Each kind is a queryset of the rows in it, narrowed by the category, department, tier and route
filters; the period does not apply (an exception stands until someone resolves it, however old,
like the board's open cases and the league's overdue items). Each row names the page where it is
resolved (`row_link`). Definitions in words: docs/statistics.md.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from config import timesource
from workflow.deadlines.models import Clock
from workflow.deadlines.working_days import WorkingCalendar
from workflow.items.models import ActionItem
from workflow.record.models import Event
from workflow.sessions.models import JointSession
from workflow.statistics.filters import Filters
from workflow.statistics.selectors import (
    OPEN_CASE_STATES,
    _no_department,
    _of_cases,
    cases,
    items,
)

KINDS = {
    "blocked_items": _("受阻的任务"),
    "returned_items": _("被退回待改派的任务"),
    "reopened_cases": _("重新办理的诉求"),
    "clockless_cases": _("没有计时的在办诉求"),
    "sessions_without_follow_up": _("休会或取消后未安排续会的会议"),
    "calendar_gaps": _("到期日所在年份缺少节假日数据的时限"),
}
# How far ahead a due date is looked for in a year without holiday data.
YEARS_AHEAD = 10


def blocked_items(f: Filters):
    return items(f).filter(status=ActionItem.Status.BLOCKED)


def returned_items(f: Filters):
    """退单 standing: the owner sent the item back and the office has not reassigned it."""
    return items(f).filter(status=ActionItem.Status.RETURNED)


def reopened_cases(f: Filters):
    """Open cases the enterprise found unsatisfactory at least once (不满意 reopens: the confirm
    event moved the case back to accepted)."""
    reopening = Event.objects.filter(
        case_id=OuterRef("pk"), kind="confirm", to_state=Case.Status.ACCEPTED
    )
    return cases(f).filter(status__in=OPEN_CASE_STATES).filter(Exists(reopening))


def clockless_cases(f: Filters):
    """Open cases nothing is timing: no open clock (running, warned or paused) on the case or on
    any of its items, e.g. accepted and not yet routed, or implementing with every item closed
    but not sent for review."""
    timed = Clock.objects.filter(case_id=OuterRef("pk"), state__in=Clock.OPEN_STATES)
    return cases(f).filter(status__in=OPEN_CASE_STATES).filter(~Exists(timed))


def sessions_without_follow_up(f: Filters):
    """A case still convening whose latest session was adjourned or cancelled: nobody has
    scheduled the follow-up session (续会) or the new date (改期)."""
    later = JointSession.objects.filter(case_id=OuterRef("case_id"), pk__gt=OuterRef("pk"))
    sessions = JointSession.objects.filter(
        status__in=[JointSession.Status.ADJOURNED, JointSession.Status.CANCELLED],
        case__status=Case.Status.CONVENING,
    ).filter(~Exists(later))
    return _of_cases(sessions, f)


def gap_years(today: datetime.date | None = None) -> list[int]:
    """The years from last year on that neither the package nor the admin calendar covers."""
    today = today or timesource.today()
    calendar = WorkingCalendar.for_display()
    return [
        year
        for year in range(today.year - 1, today.year + YEARS_AHEAD + 1)
        if not calendar.year_covered(year)
    ]


def calendar_gaps(f: Filters):
    """Open clocks due in a year without holiday data: their due day counted weekends only
    (docs/time-limits.md) and moves once someone enters that year's holidays."""
    years = gap_years()
    if not years:
        return Clock.objects.none()
    in_gap = Q()
    for year in years:
        in_gap |= Q(due__gte=datetime.date(year, 1, 1), due__lte=datetime.date(year, 12, 31))
    beyond = datetime.date(timesource.today().year + YEARS_AHEAD, 12, 31)
    clocks = Clock.objects.filter(state__in=Clock.OPEN_STATES).filter(in_gap | Q(due__gt=beyond))
    if f.department:
        clocks = clocks.filter(action_item__owner_id=f.department)
        return _of_cases(clocks, _no_department(f))
    return _of_cases(clocks, f)


SELECTORS = {
    "blocked_items": blocked_items,
    "returned_items": returned_items,
    "reopened_cases": reopened_cases,
    "clockless_cases": clockless_cases,
    "sessions_without_follow_up": sessions_without_follow_up,
    "calendar_gaps": calendar_gaps,
}
# The oldest first: what has waited longest is listed at the top. Cases by state first: no index
# gives that order, so the planner reads the open cases (the status index) and sorts them, rather
# than walking every case by its last change looking for the few that match (seconds at 1M).
ORDER = {
    "blocked_items": ("updated_at", "id"),
    "returned_items": ("updated_at", "id"),
    "reopened_cases": ("status", "updated_at", "id"),
    "clockless_cases": ("status", "updated_at", "id"),
    "sessions_without_follow_up": ("ended_at", "id"),
    "calendar_gaps": ("due", "id"),
}


def rows(f: Filters, kind: str):
    """The kind's rows, oldest first, with what their links and lines need."""
    qs = SELECTORS[kind](f).order_by(*ORDER[kind])
    if kind.endswith("_items"):
        return qs.select_related("owner", "case")
    if kind.endswith("_cases"):
        return qs.select_related("category", "enterprise")
    if kind == "sessions_without_follow_up":
        return qs.select_related("case")
    return qs.select_related("case", "action_item__owner")


def counts(f: Filters) -> dict:
    """{kind: how many rows} (each one count over its indexed set)."""
    return {kind: select(f).count() for kind, select in SELECTORS.items()}


def describe(kind: str, row) -> dict:
    """One row of a kind in the shape the page and the API share; `url` is the page where it is
    resolved: the item (unblock, reassign), the case (route it, review it), the session (schedule
    the follow-up) or the working calendar (enter the year's holidays)."""
    if kind.endswith("_items"):
        return {
            "kind": kind,
            "id": row.pk,
            "case": row.case_id,
            "case_reference": row.case.reference,
            "case_title": row.case.title,
            "title": row.title,
            "owner": row.owner.name,
            "state": row.get_status_display(),
            "reason": row.status_reason,
            "since": timezone.localdate(row.updated_at),
            "due": row.due_date,
            "url": reverse("pages:item-detail", args=[row.pk]),
        }
    if kind.endswith("_cases"):
        return {
            "kind": kind,
            "id": row.pk,
            "case": row.pk,
            "case_reference": row.reference,
            "case_title": row.title,
            "title": row.title,
            "owner": row.enterprise.name,
            "state": row.get_status_display(),
            "reason": "",
            "since": timezone.localdate(row.updated_at),
            "due": None,
            "url": reverse("pages:case-detail", args=[row.pk]),
        }
    if kind == "sessions_without_follow_up":
        return {
            "kind": kind,
            "id": row.pk,
            "case": row.case_id,
            "case_reference": row.case.reference,
            "case_title": row.case.title,
            "title": row.title,
            "owner": "",
            "state": row.get_status_display(),
            "reason": row.outcome_reason,
            "since": timezone.localdate(row.ended_at or row.scheduled_at),
            "due": None,
            "url": reverse("pages:session-detail", args=[row.pk]),
        }
    item = row.action_item
    return {
        "kind": kind,
        "id": row.pk,
        "case": row.case_id,
        "case_reference": row.case.reference,
        "case_title": row.case.title,
        "title": item.title if item else str(row.get_kind_display()),
        "owner": item.owner.name if item else "",
        "state": row.get_state_display(),
        "reason": "",
        "since": row.started,
        "due": row.due,
        "url": calendar_url(),
    }


def calendar_url() -> str:
    """Where a year's holidays are entered: the working calendar page (工作日历)."""
    return reverse("pages:working-calendar")
