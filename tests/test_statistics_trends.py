"""Trends (趋势) against hand-built cases whose answers are known: cases per month by category and
route, the on-time rate per month and satisfaction per quarter; the window; the SVG charts with
their tables on the page (no style attribute, no script) and the API."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case, Category
from config import timesource
from tests import factories
from workflow.casefile import services as case_services
from workflow.items import services as item_services
from workflow.items.models import ActionItem
from workflow.record.models import Event
from workflow.statistics import charts, trends
from workflow.statistics.definitions import rate
from workflow.statistics.filters import Filters

pytestmark = pytest.mark.django_db


def month_filters(**filters) -> Filters:
    today = timesource.today()
    return Filters(period="month", start=today.replace(day=1), end=today, **filters)


def a_month_ago(moment_day=15) -> datetime.datetime:
    """Mid-month of the month before this one, local time."""
    first = timesource.today().replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=moment_day)
    return timezone.make_aware(datetime.datetime.combine(previous, datetime.time(10)))


def month_label(moment) -> str:
    day = timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment
    return f"{day.year:04d}-{day.month:02d}"


def test_the_window_is_at_least_the_twelve_months_up_to_the_period_end():
    f = month_filters()
    months = trends.months(trends.window(f))
    assert len(months) == 12 and months[-1] == month_label(f.end)
    long = Filters(period="custom", start=datetime.date(2024, 3, 9), end=datetime.date(2025, 10, 2))
    assert trends.months(trends.window(long))[0] == "2024-03"
    assert len(trends.months(trends.window(long))) == 20
    assert trends.quarters(trends.window(long))[:2] == ["2024Q1", "2024Q2"]


@pytest.fixture
def filed(enterprise_user, coordinator, zigui_org, category):
    """Three cases of the municipal-works category and one of another: convened this month,
    assigned directly this month, assigned directly a month ago, and one not routed yet."""
    other = Category.objects.exclude(pk=category.pk).first()
    convened = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=convened, by=coordinator)
    factories.session(convened, coordinator)
    direct = factories.assigned_case(enterprise_user, coordinator, zigui_org)
    earlier = factories.assigned_case(enterprise_user, coordinator, zigui_org)
    Case.objects.filter(pk=earlier.pk).update(submitted_at=a_month_ago())
    waiting = factories.case(enterprise_user, category=other)
    return {"convened": convened, "direct": direct, "earlier": earlier, "waiting": waiting}


def test_cases_per_month_by_category_and_by_route(filed, category):
    data = trends.trends(month_filters())
    this, last = data["months"][-1], data["months"][-2]
    assert this == month_label(timesource.today())
    assert last == month_label(a_month_ago())
    series = {s["category"]: s["counts"] for s in data["by_category"]}
    assert series[category.pk][-1] == 2 and series[category.pk][-2] == 1
    assert series[filed["waiting"].category_id][-1] == 1
    assert sum(sum(counts) for counts in series.values()) == 4
    assert data["by_route"]["convened"][-1] == 1
    assert data["by_route"]["direct"][-1] == 1 and data["by_route"]["direct"][-2] == 1
    # The route filter narrows every trend.
    convened_only = trends.trends(month_filters(route="convened"))
    assert [s["counts"][-1] for s in convened_only["by_category"]] == [1]


def test_on_time_rate_per_month(enterprise_user, coordinator, zigui_org, department_officer):
    today = timesource.today()
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, zigui_org, zigui_org)
    on_time, late, overdue = ActionItem.objects.filter(case=case).order_by("id")
    for item in (on_time, late):
        item_services.action_item_sign(item=item, by=department_officer)
        item_services.action_item_complete(item=item, by=department_officer, note="已办结")
    # Completed late: its due date was before the day it was done.
    ActionItem.objects.filter(pk=late.pk).update(due_date=today - datetime.timedelta(days=40))
    # Open past a due date of last month: late, in last month's denominator.
    last_month_due = a_month_ago(10).date()
    ActionItem.objects.filter(pk=overdue.pk).update(due_date=last_month_due)
    rows = {row["month"]: row for row in trends.trends(month_filters())["on_time"]}
    this = rows[month_label(today)]
    assert (this["numerator"], this["denominator"]) == (1, 2)
    assert (
        rows[month_label(last_month_due)]["numerator"],
        rows[month_label(last_month_due)]["denominator"],
    ) == (0, 1)
    untouched = [
        r for m, r in rows.items() if m not in (month_label(today), month_label(last_month_due))
    ]
    assert all(r["denominator"] == 0 and r["percent"] is None for r in untouched)


def test_satisfaction_per_quarter(enterprise_user, coordinator, zigui_org, department_officer):
    def answered(rating):
        case = factories.assigned_case(enterprise_user, coordinator, zigui_org)
        item = ActionItem.objects.get(case=case)
        item_services.action_item_sign(item=item, by=department_officer)
        item_services.action_item_complete(item=item, by=department_officer, note="已办结")
        item_services.case_resolve(case=Case.objects.get(pk=case.pk), by=coordinator)
        case_services.case_confirm(
            case=Case.objects.get(pk=case.pk), by=enterprise_user, rating=rating, comment="仍有问题"
        )
        return case

    answered("satisfied")
    answered("dissatisfied")
    earlier_case = answered("basically_satisfied")
    # An answer 200 days ago: the record is append-only (on PostgreSQL a trigger refuses any
    # UPDATE), so the past answer is a row of its own.
    long_ago = timezone.now() - datetime.timedelta(days=200)
    Event.objects.create(
        case=earlier_case,
        kind="confirm",
        to_state="closed",
        payload={"rating": "satisfied"},
        created_at=long_ago,
    )
    data = trends.trends(month_filters())
    rows = {row["quarter"]: row for row in data["satisfaction"]}
    today = timesource.today()
    this = rows[f"{today.year}Q{(today.month - 1) // 3 + 1}"]
    assert (this["numerator"], this["denominator"]) == (2, 3)
    earlier = timezone.localdate(long_ago)
    then = rows[f"{earlier.year}Q{(earlier.month - 1) // 3 + 1}"]
    assert (then["numerator"], then["denominator"]) == (1, 1)


def test_chart_geometry_stacks_bars_and_breaks_lines_where_nothing_was_due():
    chart = charts.stacked_bars(["a", "b"], [("x", [3, 0]), ("y", [4, 2])])
    assert [b["series"] for b in chart["bars"]] == [0, 1, 1]
    assert chart["ticks"][-1]["label"] == "10"  # 7 rounded up to a whole gridline
    first_stack = chart["bars"][:2]
    assert first_stack[0]["y"] == pytest.approx(first_stack[1]["y"] + first_stack[1]["height"])
    line = charts.rate_line(
        ["a", "b", "c"],
        [rate(1, 2), rate(0, 0), rate(3, 3)],
    )
    assert len(line["lines"]) == 2 and len(line["points"]) == 2


def test_page_draws_svg_charts_beside_tables_under_the_csp(as_user, coordinator, filed):
    page = as_user(coordinator).get("/statistics/trends/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<svg class="chart"') == 4 and "<rect" in html
    assert html.count("trend-table") >= 4
    assert " style=" not in html and "<script>" not in html
    assert as_user(coordinator).get("/statistics/trends/?period=nope").status_code == 400


def test_api_gives_the_trends_to_the_office_only(api, coordinator, department_leader, filed):
    body = api.as_user(coordinator).get("/api/v1/statistics/trends/").json()
    assert len(body["months"]) == 12 and body["computed_at"] is None
    assert body["by_route"]["convened"][-1] == 1
    assert api.as_user(department_leader).get("/api/v1/statistics/trends/").status_code == 403
    bad = api.as_user(coordinator).get("/api/v1/statistics/trends/", {"route": "x"})
    assert bad.status_code == 400


def test_named_periods_read_the_daily_rollup_and_filters_stay_live(api, coordinator, filed):
    from workflow.statistics import rollup

    rollup.refresh(force=True)
    served = api.as_user(coordinator).get("/api/v1/statistics/trends/", {"period": "year"}).json()
    assert served["computed_at"] is not None
    assert served["by_route"]["convened"][-1] == 1
    live = api.as_user(coordinator).get("/api/v1/statistics/trends/", {"route": "direct"}).json()
    assert live["computed_at"] is None and live["by_route"]["convened"][-1] == 0
