"""Working days: the chinese-calendar package, the admin calendar over it, weekends beyond."""

import datetime

import pytest

from config import timesource
from workflow.deadlines.calendar import CalendarDay
from workflow.deadlines.working_days import WorkingCalendar, add_working_days, working_days_between

D = datetime.date


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # National Day 2026: 1-7 Oct off; Sat 10 Oct is a working day (调休).
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        (D(2026, 10, 9), 1, D(2026, 10, 10)),
        (D(2026, 10, 9), 2, D(2026, 10, 12)),
        # Spring Festival 2026: 15-23 Feb off; Sat 14 Feb works.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 13), 2, D(2026, 2, 24)),
        # An ordinary week.
        (D(2026, 11, 20), 1, D(2026, 11, 23)),
    ],
)
def test_add_working_days_follows_the_state_council_calendar(start, days, due):
    assert add_working_days(start, days) == due


@pytest.mark.django_db
def test_working_days_between_counts_both_ways():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert working_days_between(D(2026, 10, 12), D(2026, 9, 30)) == -4
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 0


@pytest.mark.django_db
def test_a_limit_into_2027_without_admin_entries_counts_weekends_and_flags_a_gap(caplog):
    calendar = WorkingCalendar()
    # Thu 31 Dec 2026 + 1 working day: Fri 1 Jan 2027 counted as a working day (no data).
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert calendar.calendar_gap
    assert "2027" in caplog.text


@pytest.mark.django_db
def test_admin_entries_for_2027_decide_and_close_the_gap():
    CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", note="元旦")
    CalendarDay.objects.create(date=D(2027, 1, 2), kind="workday", note="调休")
    calendar = WorkingCalendar()
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 2)
    assert calendar.add_working_days(D(2026, 12, 31), 2) == D(2027, 1, 4)
    assert not calendar.calendar_gap


@pytest.mark.django_db
def test_admin_entries_override_the_package():
    CalendarDay.objects.create(date=D(2026, 10, 10), kind="holiday", note="改为休息")
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 12)


def test_the_clock_can_be_moved_for_demos_and_tests(monkeypatch, settings):
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)
    settings.SHENLIANTI_TODAY = "2026-10-09"
    assert timesource.today() == D(2026, 10, 9)
    assert timesource.now().date() == D(2026, 10, 9)
    monkeypatch.setenv("SHENLIANTI_TODAY", "2027-01-04")
    assert timesource.today() == D(2027, 1, 4)


@pytest.mark.django_db
def test_admin_warns_while_next_year_has_no_holiday_data(admin_client, settings, monkeypatch):
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)
    settings.SHENLIANTI_TODAY = "2026-11-23"
    url = "/admin/workflow/calendarday/"
    assert "尚无 2027 年的节假日数据" in admin_client.get(url).content.decode()
    CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", note="元旦")
    assert "尚无 2027 年" not in admin_client.get(url).content.decode()
