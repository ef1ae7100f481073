"""The scan: yellow and red warnings once each, auto-close of unanswered cases, filters."""

import datetime
from unittest import mock

import chinese_calendar
import pytest
from django.core.management import call_command

from tests import factories
from workflow.casefile import services as case_services
from workflow.deadlines.calendar import CalendarDay
from workflow.deadlines.models import Clock
from workflow.deadlines.scan import scan_time_limits
from workflow.items import services as item_services
from workflow.notifications.models import Notification
from workflow.record.models import Event

D = datetime.date


@pytest.fixture
def on_day(settings, monkeypatch):
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)

    def move(day):
        settings.SHENLIANTI_TODAY = day.isoformat()

    return move


def deadline_notes(user):
    notes = Notification.objects.filter(recipient=user, kind="deadline")
    return [note.rendered_title for note in notes]


def test_scan_warns_yellow_then_red_once_each_and_filters_follow(
    api, on_day, enterprise_user, coordinator, category
):
    on_day(D(2026, 11, 20))  # Friday: the 1-day accept limit is due Monday 23 Nov
    case = factories.case(enterprise_user, category=category)
    assert scan_time_limits().yellow == 0
    assert deadline_notes(coordinator) == []

    def listed(**params):
        body = api.as_user(coordinator).get("/api/v1/cases/", params).json()
        return [row["id"] for row in body["results"]]

    assert listed(due_within=1) == [case.pk]
    assert listed(due_within=0) == []
    assert listed(overdue="true") == []

    on_day(D(2026, 11, 23))
    assert scan_time_limits().yellow == 1
    assert scan_time_limits().yellow == 0  # the second scan tells no one again
    assert len(deadline_notes(coordinator)) == 1
    assert Clock.objects.get(case=case).state == "yellow"

    on_day(D(2026, 11, 24))
    call_command("scan_time_limits", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("scan_time_limits", stdout=open("/dev/null", "w"))  # noqa: SIM115
    notes = deadline_notes(coordinator)
    assert len(notes) == 2 and any("已超期" in note for note in notes)
    assert deadline_notes(enterprise_user) == []
    assert listed(overdue="true") == [case.pk]
    assert listed(overdue="false") == []


def test_unconfirmed_case_closes_itself_after_seven_working_days(
    on_day, enterprise_user, coordinator, department_officer, zigui_org, category
):
    on_day(D(2026, 9, 28))  # Monday; National Day falls inside the 7 working days
    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    case = item_services.case_assign(
        case=case,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": D(2026, 10, 30)}],
    )
    item = item_services.action_item_sign(item=case.action_items.get(), by=department_officer)
    item_services.action_item_complete(item=item, by=department_officer, note="已办结")
    item_services.case_resolve(case=case, by=coordinator)  # after the office's review
    clock = Clock.objects.get(case=case, kind="confirm")
    # 29, 30 Sep; 8, 9, 10 (Sat, 调休), 12, 13 Oct
    assert clock.due == D(2026, 10, 13)

    on_day(D(2026, 10, 13))
    scan_time_limits()
    case.refresh_from_db()
    assert case.status == "resolved"
    assert len(deadline_notes(enterprise_user)) == 1  # yellow goes to the enterprise

    on_day(D(2026, 10, 14))
    assert scan_time_limits().closed_unanswered == 1
    case.refresh_from_db()
    assert (case.status, case.closure_kind, case.rating) == ("closed", "no_answer", "")
    assert Event.objects.filter(case=case, kind="close_unanswered").count() == 1
    clock.refresh_from_db()
    assert clock.state == "missed"
    assert scan_time_limits().closed_unanswered == 0


def test_action_item_clock_warns_owner_then_leaders_and_coordinators_and_follows_extensions(
    on_day, enterprise_user, coordinator, department_officer, department_leader, zigui_org, category
):
    from workflow.extensions import services as extensions

    on_day(D(2026, 11, 16))
    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    item_services.case_assign(
        case=case,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": D(2026, 11, 20)}],
    )
    item = case.action_items.get()
    clock = Clock.objects.get(action_item=item)
    on_day(D(2026, 11, 20))
    scan_time_limits()
    assert len(deadline_notes(department_officer)) == 1
    assert deadline_notes(coordinator) == []  # the accept clock was met; yellow is the owner's
    on_day(D(2026, 11, 23))
    scan_time_limits()
    for person in (department_officer, department_leader, coordinator):
        assert any("已超期" in note for note in deadline_notes(person)), person

    on_day(D(2026, 11, 20))  # asked in time, approved: the clock follows the new date
    ext = extensions.extension_request(
        item=item, by=department_officer, due_date=D(2026, 12, 4), reason="补测绘"
    )
    extensions.extension_approve(extension=ext, by=coordinator)
    clock.refresh_from_db()
    assert (clock.due, clock.state, clock.notified) == (D(2026, 12, 4), "running", "")
    item.refresh_from_db()
    item = item_services.action_item_sign(item=item, by=department_officer)
    item_services.action_item_complete(item=item, by=department_officer, note="已办结")
    clock.refresh_from_db()
    assert clock.state == "met"


@pytest.mark.parametrize("cases", [1, 12])
def test_a_scan_costs_the_same_queries_for_one_clock_or_many_and_reads_the_calendar_once(
    on_day, enterprise_user, coordinator, category, cases, django_assert_max_num_queries
):
    on_day(D(2026, 11, 20))
    for _ in range(cases):
        factories.case(enterprise_user, category=category)
    on_day(D(2026, 11, 24))  # every accept clock is red
    with (
        mock.patch.object(chinese_calendar, "is_workday") as package_calls,
        django_assert_max_num_queries(12),
    ):
        assert scan_time_limits().red == cases
    assert package_calls.call_count == 0
    assert len(deadline_notes(coordinator)) == cases
    with django_assert_max_num_queries(3):  # the calendar, clocks to fill, clocks that change
        assert scan_time_limits().checked == 0


def test_a_clock_written_without_its_yellow_day_gets_one_and_is_warned(
    on_day, enterprise_user, coordinator, category
):
    on_day(D(2026, 11, 20))
    case = factories.case(enterprise_user, category=category)
    Clock.objects.filter(case=case).update(yellow_on=None)  # as a bulk loader leaves it
    on_day(D(2026, 11, 23))
    assert scan_time_limits().yellow == 1
    clock = Clock.objects.get(case=case)
    assert (clock.yellow_on, clock.state, clock.notified) == (D(2026, 11, 23), "yellow", "yellow")


def test_an_admin_calendar_edit_moves_the_yellow_day_of_open_clocks(
    on_day, enterprise_user, coordinator, zigui_org, department_officer, category
):
    on_day(D(2026, 11, 16))
    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    item_services.case_assign(
        case=case,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": D(2026, 11, 23)}],
    )
    clock = Clock.objects.get(action_item__case=case)
    assert clock.yellow_on == D(2026, 11, 20)  # 4 of its 5 working days used

    CalendarDay.objects.create(date=D(2026, 11, 17), kind="holiday", note="临时调整")
    clock.refresh_from_db()
    assert clock.yellow_on == D(2026, 11, 23)  # 4 working days now: yellow on the 4th
    on_day(D(2026, 11, 20))
    assert scan_time_limits().yellow == 0
    assert deadline_notes(department_officer) == []


def test_a_resumed_clock_past_its_warning_turns_red_without_a_second_warning(
    on_day, enterprise_user, coordinator, category
):
    on_day(D(2026, 11, 20))
    case = factories.case(enterprise_user, category=category)
    on_day(D(2026, 11, 24))
    assert scan_time_limits().red == 1
    case_services.case_return_for_info(case=case, by=coordinator, reason="缺少规划图")
    on_day(D(2026, 11, 25))
    case.refresh_from_db()
    case_services.case_resubmit(case=case, by=enterprise_user, reply="已补充")
    clock = Clock.objects.get(case=case)
    assert (clock.state, clock.notified, clock.due) == ("running", "red", D(2026, 11, 24))
    result = scan_time_limits()
    assert (result.checked, result.red) == (1, 0)
    assert Clock.objects.get(case=case).state == "red"
    assert len(deadline_notes(coordinator)) == 1
