"""Trends (趋势): cases filed per month by category and by route, the on-time rate per month and
satisfaction per quarter, for the same filters as every figure.

A trend needs more than one point: the window is the period widened back to twelve whole months
when it is shorter (this month's trends are the twelve months up to today). Each month's figures
follow the definitions of the board and the 三率 (docs/statistics.md): filed = submitted in the
month; on time = items completed in the month by their due date, over those completed in the
month and the open ones whose due date fell in it and has passed; satisfaction = 满意 + 基本满意
over the enterprise's answers in the quarter."""

import datetime
from collections import defaultdict
from dataclasses import replace

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncDate, TruncMonth

from cases.models import Category
from workflow.items.models import ActionItem
from workflow.statistics.definitions import rate
from workflow.statistics.filters import Filters
from workflow.statistics.selectors import (
    SATISFIED,
    _completed,
    _confirmations,
    _convened,
    _in_period,
    _overdue_in_period,
    cases,
)

WINDOW_MONTHS = 12


def _month(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _quarter(day: datetime.date) -> str:
    return f"{day.year:04d}Q{(day.month - 1) // 3 + 1}"


def _months_back(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def window(f: Filters) -> Filters:
    """The filters over whole months, at least the twelve up to the period's end."""
    start = min(f.start.replace(day=1), _months_back(f.end, WINDOW_MONTHS - 1))
    return replace(f, start=start)


def months(f: Filters) -> list[str]:
    labels, day = [], f.start.replace(day=1)
    while day <= f.end:
        labels.append(_month(day))
        day = _months_back(day, -1)
    return labels


def quarters(f: Filters) -> list[str]:
    labels = []
    for label in months(f):
        quarter = _quarter(datetime.date.fromisoformat(f"{label}-01"))
        if quarter not in labels:
            labels.append(quarter)
    return labels


def _by_month(qs, field: str, *groups: str) -> dict:
    """{(month label, *group values): count} of `qs` by the local month of `field`."""
    rows = (
        qs.annotate(month=TruncMonth(field))
        .values_list("month", *groups)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(_month(row[0]), *row[1:-1]): row[-1] for row in rows}


def filed_by_category(f: Filters, labels: list[str]) -> list[dict]:
    counts = _by_month(cases(f).filter(_in_period("submitted_at", f)), "submitted_at", "category")
    present = {category for _month_label, category in counts}
    series = []
    for category in Category.objects.filter(pk__in=present).order_by("position", "id"):
        series.append(
            {
                "category": category.pk,
                "label": category.name,
                "label_en": category.name_en,
                "counts": [counts.get((m, category.pk), 0) for m in labels],
            }
        )
    return series


def filed_by_route(f: Filters, labels: list[str]) -> dict:
    """Cases filed each month that were convened, and those assigned directly (items, no
    session); a case still waiting to be routed is in neither."""
    filed = cases(f).filter(_in_period("submitted_at", f))
    convened = _by_month(filed.filter(_convened("pk")), "submitted_at")
    direct = _by_month(
        filed.filter(~_convened("pk")).filter(
            Exists(ActionItem.objects.filter(case_id=OuterRef("pk")))
        ),
        "submitted_at",
    )
    return {
        "convened": [convened.get((m,), 0) for m in labels],
        "direct": [direct.get((m,), 0) for m in labels],
    }


def on_time_by_month(f: Filters, labels: list[str]) -> list[dict]:
    per = defaultdict(lambda: [0, 0])
    done = (
        _completed(f)
        .annotate(day=TruncDate("completed_at"))
        .values_list("day", "due_date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for day, due, n in done:
        per[_month(day)][1] += n
        if day <= due:
            per[_month(day)][0] += n
    late = _overdue_in_period(f).values_list("due_date").annotate(n=Count("pk")).order_by()
    for due, n in late:
        per[_month(due)][1] += n
    return [{"month": m, **rate(*per[m])} for m in labels]


def satisfaction_by_quarter(f: Filters, labels: list[str]) -> list[dict]:
    per = defaultdict(lambda: [0, 0])
    answers = (
        _confirmations(f)
        .annotate(day=TruncDate("created_at"))
        .values_list("day", "payload__rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for day, rating, n in answers:
        per[_quarter(day)][1] += n
        if rating in SATISFIED:
            per[_quarter(day)][0] += n
    return [{"quarter": q, **rate(*per[q])} for q in labels]


def trends(f: Filters) -> dict:
    """Every trend of the filters' window (see `window`)."""
    f = window(f)
    month_labels = months(f)
    return {
        "window": {"start": f.start.isoformat(), "end": f.end.isoformat()},
        "months": month_labels,
        "by_category": filed_by_category(f, month_labels),
        "by_route": filed_by_route(f, month_labels),
        "on_time": on_time_by_month(f, month_labels),
        "quarters": quarters(f),
        "satisfaction": satisfaction_by_quarter(f, quarters(f)),
    }
