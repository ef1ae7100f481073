"""The exceptions board (异常事项) against hand-built cases whose answers are known: blocked and
returned items, reopened cases, open cases nothing is timing, adjourned or cancelled sessions
without a follow-up, clocks due in a year without holiday data; its page and API, who may read
them, and the page where each row is resolved."""

import datetime

import pytest

from cases.models import Case
from config import timesource
from tests import factories
from workflow.casefile import services as case_services
from workflow.deadlines.models import Clock
from workflow.items import services as item_services
from workflow.items.models import ActionItem
from workflow.sessions import services as session_services
from workflow.statistics import exceptions
from workflow.statistics.filters import Filters

pytestmark = pytest.mark.django_db


def now_filters(**filters) -> Filters:
    today = timesource.today()
    return Filters(period="month", start=today.replace(day=1), end=today, **filters)


def ids(kind, **filters):
    return {row.pk for row in exceptions.SELECTORS[kind](now_filters(**filters))}


def finish(case, coordinator, officer):
    for item in ActionItem.objects.filter(case=case).exclude(status__in=["done", "cancelled"]):
        if item.status == "assigned":
            item_services.action_item_sign(item=item, by=officer)
        item_services.action_item_complete(item=item, by=officer, note="已办结")
    item_services.case_resolve(case=Case.objects.get(pk=case.pk), by=coordinator)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def known(enterprise_user, coordinator, zigui_org, zhujian_org, department_officer):
    """One case per kind of exception, and cases that look alike but are not exceptions."""
    built = {}
    # Items: one blocked, one returned (not yet reassigned), one returned and reassigned.
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, zigui_org, zigui_org)
    blocked, returned, reassigned = ActionItem.objects.filter(case=case).order_by("id")
    item_services.action_item_sign(item=blocked, by=department_officer)
    item_services.action_item_block(item=blocked, by=department_officer, reason="等待用地批复")
    item_services.action_item_return(item=returned, by=department_officer, reason="不属于本局")
    item_services.action_item_return(item=reassigned, by=department_officer, reason="不属于本局")
    item_services.action_item_reassign(
        item=ActionItem.objects.get(pk=reassigned.pk), by=coordinator, owner=zhujian_org
    )
    built["blocked"], built["returned"] = blocked, returned

    # Reopened: the enterprise answered 不满意; a satisfied one is closed, not an exception.
    reopened = finish(
        factories.assigned_case(enterprise_user, coordinator, zigui_org),
        coordinator,
        department_officer,
    )
    case_services.case_confirm(
        case=reopened, by=enterprise_user, rating="dissatisfied", comment="管网仍未接通"
    )
    satisfied = finish(
        factories.assigned_case(enterprise_user, coordinator, zigui_org),
        coordinator,
        department_officer,
    )
    case_services.case_confirm(case=satisfied, by=enterprise_user, rating="satisfied")
    built["reopened"] = reopened

    # Nothing timing: accepted and not routed. A submitted case has its acceptance clock.
    accepted = factories.case(enterprise_user)
    case_services.case_accept(case=accepted, by=coordinator)
    built["accepted"] = accepted
    built["submitted"] = factories.case(enterprise_user)

    # Sessions: one cancelled with no follow-up; one cancelled and rescheduled (改期).
    lone = factories.case(enterprise_user)
    case_services.case_accept(case=lone, by=coordinator)
    session = factories.session(lone, coordinator)
    session_services.session_cancel(session=session, by=coordinator, reason="主要部门无法到会")
    rescheduled_case = factories.case(enterprise_user)
    case_services.case_accept(case=rescheduled_case, by=coordinator)
    first = factories.session(rescheduled_case, coordinator)
    session_services.session_cancel(session=first, by=coordinator, reason="改期")
    session_services.session_follow_up(
        session=first,
        by=coordinator,
        scheduled_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3),
    )
    built["cancelled"] = session

    # A clock due in a year nobody entered the holidays of (chinese-calendar ends at 2026).
    gap = Clock.objects.filter(action_item=blocked).get()
    Clock.objects.filter(pk=gap.pk).update(due=datetime.date(2031, 1, 10))
    built["gap"] = gap
    return built


def test_each_kind_lists_exactly_the_cases_built_for_it(known):
    assert ids("blocked_items") == {known["blocked"].pk}
    assert ids("returned_items") == {known["returned"].pk}
    assert ids("reopened_cases") == {known["reopened"].pk}
    # The reopened case waits in accepted too, timed by its reopen clock: not clockless.
    assert ids("clockless_cases") == {known["accepted"].pk}
    assert ids("sessions_without_follow_up") == {known["cancelled"].pk}
    assert 2031 in exceptions.gap_years()
    assert ids("calendar_gaps") == {known["gap"].pk}
    counts = exceptions.counts(now_filters())
    assert counts == {
        "blocked_items": 1,
        "returned_items": 1,
        "reopened_cases": 1,
        "clockless_cases": 1,
        "sessions_without_follow_up": 1,
        "calendar_gaps": 1,
    }


def test_resolving_an_exception_takes_it_off_the_board(known, coordinator, department_officer):
    item_services.action_item_unblock(item=known["blocked"], by=department_officer)
    owner = known["blocked"].owner
    item_services.case_assign(
        case=known["accepted"],
        by=coordinator,
        assignments=[{"organisation": owner, "title": "办理", "due_date": factories.due_in(9)}],
    )
    assert ids("blocked_items") == set()
    assert ids("clockless_cases") == set()


def test_filters_narrow_the_exceptions(known, zigui_org, zhujian_org, category):
    assert ids("blocked_items", department=zigui_org.pk) == {known["blocked"].pk}
    assert ids("blocked_items", department=zhujian_org.pk) == set()
    assert ids("calendar_gaps", department=zhujian_org.pk) == set()
    other = category.__class__.objects.exclude(pk=category.pk).first()
    assert ids("reopened_cases", category=other.pk) == set()
    assert ids("reopened_cases", category=category.pk) == {known["reopened"].pk}
    assert ids("sessions_without_follow_up", route="direct") == set()
    assert ids("sessions_without_follow_up", route="convened") == {known["cancelled"].pk}


def test_rows_link_to_the_page_where_each_is_resolved(known):
    f = now_filters()
    links = {
        kind: exceptions.describe(kind, exceptions.rows(f, kind).first())["url"]
        for kind in exceptions.KINDS
    }
    assert links["blocked_items"] == f"/items/{known['blocked'].pk}/"
    assert links["returned_items"] == f"/items/{known['returned'].pk}/"
    assert links["reopened_cases"] == f"/cases/{known['reopened'].pk}/"
    assert links["clockless_cases"] == f"/cases/{known['accepted'].pk}/"
    assert links["sessions_without_follow_up"] == f"/sessions/{known['cancelled'].pk}/"
    assert links["calendar_gaps"] == exceptions.calendar_url() == "/reference/calendar/"


def test_page_shows_counts_and_rows_for_the_office(as_user, coordinator, known):
    page = as_user(coordinator).get("/statistics/exceptions/?kind=returned_items")
    assert page.status_code == 200
    html = page.content.decode()
    assert "不属于本局" in html and f"/items/{known['returned'].pk}/" in html
    assert 'data-kind="calendar_gaps">' in html
    assert as_user(coordinator).get("/statistics/exceptions/?kind=nope").status_code == 404
    bad = as_user(coordinator).get("/statistics/exceptions/?category=x")
    assert bad.status_code == 400 and "请选择列表中的一项" in bad.content.decode()


@pytest.mark.parametrize("url", ["/statistics/exceptions/"])
def test_page_refuses_everyone_but_the_office(as_user, url, department_leader, enterprise_user):
    assert as_user(department_leader).get(url).status_code == 403
    assert as_user(enterprise_user).get(url).status_code == 403


def test_api_counts_rows_and_refuses_others(api, coordinator, department_leader, known):
    counts = api.as_user(coordinator).get("/api/v1/statistics/exceptions/").json()
    assert {row["kind"]: row["count"] for row in counts}["reopened_cases"] == 1
    body = (
        api.as_user(coordinator)
        .get("/api/v1/statistics/exceptions/rows/", {"kind": "sessions_without_follow_up"})
        .json()
    )
    [row] = body["results"]
    assert row["id"] == known["cancelled"].pk and row["reason"] == "主要部门无法到会"
    assert row["url"] == f"/sessions/{known['cancelled'].pk}/"
    missing = api.as_user(coordinator).get("/api/v1/statistics/exceptions/rows/")
    assert missing.status_code == 400 and "kind" in missing.json()["error"]["fields"]
    assert api.as_user(department_leader).get("/api/v1/statistics/exceptions/").status_code == 403
    api.force_authenticate(user=None)
    assert api.get("/api/v1/statistics/exceptions/").status_code == 401


def test_rows_api_reads_a_fixed_number_of_queries(
    api, coordinator, known, enterprise_user, zigui_org, department_officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(kind):
        client = api.as_user(coordinator)
        client.get("/api/v1/statistics/exceptions/rows/", {"kind": kind})  # warm the calendar
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/statistics/exceptions/rows/", {"kind": kind})
            assert response.status_code == 200
        return len(captured), len(response.json()["results"])

    one = {kind: queries(kind) for kind in ("blocked_items", "calendar_gaps")}
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, zigui_org)
    for item in ActionItem.objects.filter(case=case):
        item_services.action_item_sign(item=item, by=department_officer)
        item_services.action_item_block(item=item, by=department_officer, reason="等待")
    Clock.objects.filter(action_item__case=case).update(due=datetime.date(2031, 2, 3))
    for kind, (count, rows) in one.items():
        assert rows == 1 and queries(kind) == (count, 3)
