"""The daily rollup: the board, the league table and the trends of each named period, unfiltered,
and the last complete week's report, computed by the worker once a day and read by the pages and
the API (models.FigureSnapshot).

At a million cases a year's figures take seconds to compute (docs/performance.md), too long for
a page; a snapshot answers in one indexed read. A snapshot is used only for the period it was
computed for (this month's board is not last month's), and only while it is younger than
MAX_AGE; otherwise, and for every other filter, the figures are computed live."""

import datetime
import time

from django.utils import timezone

from config import timesource
from workflow.statistics import selectors, trends, weekly
from workflow.statistics.filters import PERIODS, Filters, period_range
from workflow.statistics.models import FigureSnapshot

VIEWS = {"overview": selectors.overview, "league": selectors.league, "trends": trends.trends}
MAX_AGE = datetime.timedelta(hours=26)


def _key(view: str, f: Filters) -> str:
    return f"{view}?{f.key()}"


def figures(view: str, f: Filters) -> tuple[object, datetime.datetime | None]:
    """The view's figures and, when they come from the rollup, when they were computed."""
    if f.is_standard:
        snapshot = (
            FigureSnapshot.objects.filter(
                key=_key(view, f), computed_at__gte=timezone.now() - MAX_AGE
            )
            .only("figures", "computed_at")
            .first()
        )
        if snapshot is not None and snapshot.figures.get("period") == [
            f.start.isoformat(),
            f.end.isoformat(),
        ]:
            return snapshot.figures["data"], snapshot.computed_at
    return VIEWS[view](f), None


def _weekly_key(f: Filters) -> str:
    return f"weekly?week={weekly.iso_week(f.start)}"


def weekly_figures(f: Filters) -> tuple[dict, datetime.datetime | None]:
    """The weekly report and, when it comes from the rollup, when it was computed: the last
    complete week with no other filter is kept with the daily figures; any other is live."""
    if not any((f.category, f.department, f.tier, f.route)):
        snapshot = (
            FigureSnapshot.objects.filter(
                key=_weekly_key(f), computed_at__gte=timezone.now() - MAX_AGE
            )
            .only("figures", "computed_at")
            .first()
        )
        if snapshot is not None:
            return snapshot.figures["data"], snapshot.computed_at
    return weekly.report(f), None


def _span(view: str, f: Filters) -> tuple:
    """The days a view's figures cover: the period, or the trends' wider window."""
    covered = trends.window(f) if view == "trends" else f
    return covered.start, covered.end


def refresh(*, force: bool = False) -> dict:
    """Compute every named period's board, league table and trends; returns seconds per key. Without
    `force`, does nothing when today's snapshots exist (the scheduler asks every hour)."""
    today = timesource.today()
    newest = FigureSnapshot.objects.order_by("-computed_at").values_list("computed_at", flat=True)
    latest = newest.first()
    if not force and latest is not None and timezone.localdate(latest) == today:
        return {}
    timings = {}
    computed = {}
    for period in PERIODS:
        if period == "custom":
            continue
        start, end = period_range(period, today)
        f = Filters(period=period, start=start, end=end)
        for view, compute in VIEWS.items():
            began = time.monotonic()
            # Every named period's trends cover the same twelve months: computed once.
            span = (view, *_span(view, f))
            if span not in computed:
                computed[span] = compute(f)
            data = computed[span]
            seconds = time.monotonic() - began
            FigureSnapshot.objects.update_or_create(
                key=_key(view, f),
                defaults={
                    "figures": {"period": [start.isoformat(), end.isoformat()], "data": data},
                    "computed_at": timezone.now(),
                    "seconds": seconds,
                },
            )
            timings[_key(view, f)] = round(seconds, 2)
    monday = weekly.last_complete_week(today)
    f = Filters(period="custom", start=monday, end=monday + datetime.timedelta(days=6))
    began = time.monotonic()
    data = weekly.report(f)
    seconds = time.monotonic() - began
    FigureSnapshot.objects.update_or_create(
        key=_weekly_key(f),
        defaults={
            "figures": {"period": [f.start.isoformat(), f.end.isoformat()], "data": data},
            "computed_at": timezone.now(),
            "seconds": seconds,
        },
    )
    timings[_weekly_key(f)] = round(seconds, 2)
    return timings
