"""Clocks follow the case through its states, counted in working days with the clock frozen."""

import datetime
import importlib
from unittest import mock

import chinese_calendar
import pytest

from tests import factories
from workflow.casefile import services as case_services
from workflow.deadlines import working_days
from workflow.deadlines.calendar import CalendarDay
from workflow.deadlines.clock_state import yellow_on
from workflow.deadlines.models import Clock
from workflow.deadlines.working_days import WorkingCalendar
from workflow.items import services as item_services

D = datetime.date


@pytest.fixture
def on_day(settings, monkeypatch):
    """Freeze the deadline clock: on_day(date) makes that date "today" for deadline code."""
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)

    def move(day):
        settings.SHENLIANTI_TODAY = day.isoformat()

    return move


def case_clock(case, kind):
    return Clock.objects.get(case=case, kind=kind)


def test_accept_clock_over_national_day_goes_yellow_then_red_in_the_api(
    api, on_day, enterprise_user, coordinator, category
):
    on_day(D(2026, 9, 30))
    case = factories.case(enterprise_user, category=category)
    clock = case_clock(case, "accept")
    assert (clock.started, clock.due, clock.state) == (D(2026, 9, 30), D(2026, 10, 8), "running")

    def shown():
        body = api.as_user(coordinator).get(f"/api/v1/cases/{case.pk}/").json()
        (only,) = body["clocks"]
        return only["state"], only["working_days_left"]

    assert shown() == ("running", 1)
    on_day(D(2026, 10, 8))
    assert shown() == ("yellow", 0)
    on_day(D(2026, 10, 9))
    assert shown() == ("red", -1)

    case_services.case_accept(case=case, by=coordinator)
    clock.refresh_from_db()
    assert (clock.state, clock.stopped) == ("missed", D(2026, 10, 9))


def test_needs_info_pauses_the_accept_clock_and_resubmission_extends_it(
    on_day, enterprise_user, coordinator, category
):
    on_day(D(2026, 10, 9))  # Friday; Saturday 10 Oct is a working day
    case = factories.case(enterprise_user, category=category)
    assert case_clock(case, "accept").due == D(2026, 10, 10)

    case_services.case_return_for_info(case=case, by=coordinator, reason="缺少规划图")
    clock = case_clock(case, "accept")
    assert (clock.state, clock.paused_at) == ("paused", D(2026, 10, 9))

    on_day(D(2026, 10, 13))  # paused over Sat 10, Mon 12, Tue 13: three working days
    case.refresh_from_db()
    case_services.case_resubmit(case=case, by=enterprise_user, reply="已补充")
    clock.refresh_from_db()
    assert (clock.state, clock.paused_days, clock.due) == ("running", 3, D(2026, 10, 14))
    assert Clock.objects.filter(case=case).count() == 1

    case.refresh_from_db()
    case_services.case_accept(case=case, by=coordinator)
    clock.refresh_from_db()
    assert clock.state == "met"


@pytest.mark.parametrize("with_2027_calendar", [False, True])
def test_a_confirm_limit_into_2027_with_and_without_admin_entries(
    on_day,
    enterprise_user,
    coordinator,
    department_officer,
    zigui_org,
    category,
    with_2027_calendar,
):
    if with_2027_calendar:
        CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", note="元旦")
    on_day(D(2026, 12, 28))  # Monday; 7 working days run into January 2027
    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    case = item_services.case_assign(
        case=case,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": D(2027, 1, 8)}],
    )
    item = case.action_items.get()
    item = item_services.action_item_sign(item=item, by=department_officer)
    item_services.action_item_complete(item=item, by=department_officer, note="已办结")
    case = item_services.case_resolve(case=case, by=coordinator)
    assert case.status == "resolved"
    clock = case_clock(case, "confirm")
    assert clock.started == D(2026, 12, 28)
    if with_2027_calendar:
        assert (clock.due, clock.calendar_gap) == (D(2027, 1, 7), False)
    else:
        assert (clock.due, clock.calendar_gap) == (D(2027, 1, 6), True)


def test_assign_accepts_due_in_working_days(
    api, on_day, enterprise_user, coordinator, zigui_org, category
):
    on_day(D(2026, 9, 30))
    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    url = f"/api/v1/cases/{case.pk}/transitions/"
    both = {"organisation": zigui_org.pk, "title": "规划审批", "due_date": "2026-10-20"}
    refused = api.as_user(coordinator).post(
        url, {"name": "assign", "assignments": [{**both, "due_in_working_days": 3}]}, format="json"
    )
    assert refused.status_code == 400
    del both["due_date"]
    done = api.as_user(coordinator).post(
        url, {"name": "assign", "assignments": [{**both, "due_in_working_days": 3}]}, format="json"
    )
    assert done.status_code == 200, done.json()
    assert done.json()["action_items"][0]["due_date"] == "2026-10-10"  # over National Day


def test_a_case_with_several_clocks_is_shown_with_one_calendar_per_process(
    api, on_day, monkeypatch, enterprise_user, coordinator, zigui_org, zhujian_org, category
):
    monkeypatch.setattr(working_days, "_process_calendar", working_days._ProcessCalendar())
    on_day(D(2026, 11, 16))
    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    item_services.case_assign(
        case=case,
        by=coordinator,
        assignments=[
            {"organisation": org, "title": "规划审批", "due_date": due}
            for due, org in zip(
                [D(2026, 11, 20), D(2026, 11, 23), D(2026, 11, 24)],
                [zigui_org, zhujian_org, zigui_org],
                strict=True,
            )
        ],
    )
    with (
        mock.patch.object(working_days, "admin_entries", wraps=working_days.admin_entries) as read,
        mock.patch.object(working_days, "CalendarTable", wraps=working_days.CalendarTable) as built,
        mock.patch.object(chinese_calendar, "is_workday") as package_calls,
    ):
        for _ in range(3):
            body = api.as_user(coordinator).get(f"/api/v1/cases/{case.pk}/").json()
            assert len(body["clocks"]) == 4
    assert (read.call_count, built.call_count, package_calls.call_count) == (0, 0, 0)


def test_open_clocks_keep_their_yellow_day_through_pause_resume_and_extension(
    on_day, enterprise_user, coordinator, department_officer, zigui_org, category
):
    from workflow.extensions import services as extensions

    def assert_yellow_days_current():
        calendar = WorkingCalendar()
        for clock in Clock.objects.open():
            assert clock.yellow_on == yellow_on(clock.started, clock.due, calendar), clock

    on_day(D(2026, 10, 9))
    case = factories.case(enterprise_user, category=category)
    assert_yellow_days_current()
    case_services.case_return_for_info(case=case, by=coordinator, reason="缺少规划图")
    on_day(D(2026, 10, 13))
    case.refresh_from_db()
    case_services.case_resubmit(case=case, by=enterprise_user, reply="已补充")
    assert_yellow_days_current()
    case.refresh_from_db()
    case_services.case_accept(case=case, by=coordinator)
    case = item_services.case_assign(
        case=case,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": D(2026, 10, 20)}],
    )
    item = case.action_items.get()
    ext = extensions.extension_request(
        item=item, by=department_officer, due_date=D(2026, 11, 4), reason="补测绘"
    )
    extensions.extension_approve(extension=ext, by=coordinator)
    assert Clock.objects.get(action_item=item).yellow_on == D(2026, 10, 30)  # 13 of 16 days
    assert_yellow_days_current()


def test_the_migration_fills_the_yellow_day_of_open_clocks_only(
    on_day, enterprise_user, coordinator, category
):
    from django.apps import apps

    fill = importlib.import_module("workflow.migrations.0010_clock_yellow_on").fill_yellow_days
    on_day(D(2026, 9, 30))
    open_case = factories.case(enterprise_user, category=category)
    closed_case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=closed_case, by=coordinator)
    Clock.objects.update(yellow_on=None)
    fill(apps, None)
    assert case_clock(open_case, "accept").yellow_on == D(2026, 10, 8)
    assert case_clock(closed_case, "accept").yellow_on is None
