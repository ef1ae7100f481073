"""Working days: the chinese-calendar package, the admin calendar over it, weekends beyond."""

import datetime
from unittest import mock

import chinese_calendar
import pytest
from django.db import transaction

from config import timesource
from workflow.deadlines import working_days
from workflow.deadlines.calendar import CalendarDay
from workflow.deadlines.working_days import (
    ONE_DAY,
    WorkingCalendar,
    add_working_days,
    package_years,
    working_days_between,
)

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


class WalkingCalendar:
    """The implementation before ordinals, kept as the oracle: one date at a time.

    Each day's answer is remembered, only so that the oracle runs in a test's time."""

    def __init__(self, overrides):
        self.overrides = overrides
        self.gap_years = set()
        self.answers = {}

    def is_working_day(self, day):
        if day in self.overrides:
            return self.overrides[day]
        if day not in self.answers:
            try:
                self.answers[day] = chinese_calendar.is_workday(day)
            except NotImplementedError:
                self.answers[day] = day.weekday() < 5
        if day.year not in package_years() and day.year not in {d.year for d in self.overrides}:
            self.gap_years.add(day.year)
        return self.answers[day]

    def add_working_days(self, start, days):
        day, remaining = start, days
        while remaining > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start, end):
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count


EDGE_OVERRIDES = {
    D(2026, 10, 10): False,  # the package's 调休 Saturday, made a holiday
    D(2026, 12, 26): True,  # a Saturday made a working day
    D(2027, 1, 1): False,  # a year the package does not know
    D(2027, 1, 2): True,
    D(2027, 2, 15): False,
}


def days(first, last, step=1):
    return [first + datetime.timedelta(days=n) for n in range(0, (last - first).days + 1, step)]


def test_the_table_answers_what_the_package_answers_on_every_day_it_knows():
    table = WorkingCalendar(overrides={}).table
    known = package_years()
    for day in days(D(known.start, 1, 1), D(known.stop - 1, 12, 31)):
        assert table.is_working_day(day) == chinese_calendar.is_workday(day), day


def test_ordinals_agree_with_the_walk_over_years_with_holidays_make_up_days_and_overrides():
    walking = WalkingCalendar(EDGE_OVERRIDES)
    calendar = WorkingCalendar(overrides=EDGE_OVERRIDES)
    # 2024-2026 from the package (Spring Festival, National Day, 调休 Saturdays), 2027 from the
    # admin entries only, 2028 beyond everything (weekends), and the days before 2004.
    span = [*days(D(2003, 12, 1), D(2004, 1, 31)), *days(D(2024, 1, 1), D(2028, 12, 31))]
    for day in span:
        assert calendar.is_working_day(day) == walking.is_working_day(day), day
    for start in span[::3]:
        for n in (0, 1, 2, 3, 7, 20, 61):
            assert calendar.add_working_days(start, n) == walking.add_working_days(start, n), (
                start,
                n,
            )
        for offset in (-45, -1, 0, 1, 9, 30, 200):
            end = start + datetime.timedelta(days=offset)
            assert calendar.working_days_between(start, end) == walking.working_days_between(
                start, end
            ), (start, end)


@pytest.mark.parametrize(
    ("start", "end", "gap"),
    [
        (D(2026, 12, 1), D(2026, 12, 31), False),
        (D(2026, 12, 31), D(2027, 1, 4), False),  # 2027 known from the admin entries
        (D(2027, 12, 30), D(2028, 1, 3), True),
        (D(2028, 1, 3), D(2027, 12, 30), True),
        (D(2028, 1, 3), D(2028, 1, 3), False),  # no day counted, no gap
    ],
)
def test_a_calendar_gap_is_flagged_as_the_walk_flagged_it(start, end, gap):
    calendar = WorkingCalendar(overrides=EDGE_OVERRIDES)
    walking = WalkingCalendar(EDGE_OVERRIDES)
    assert calendar.working_days_between(start, end) == walking.working_days_between(start, end)
    assert calendar.calendar_gap == bool(walking.gap_years) == gap


@pytest.fixture
def fresh_process_calendar(monkeypatch):
    """This process's calendar as a new process has it: nothing loaded, no edit pending."""
    monkeypatch.setattr(working_days, "_process_calendar", working_days._ProcessCalendar())


@pytest.mark.django_db
def test_the_calendar_is_built_once_per_process_not_per_question(
    fresh_process_calendar, django_assert_num_queries
):
    with (
        mock.patch.object(working_days, "CalendarTable", wraps=working_days.CalendarTable) as built,
        mock.patch.object(chinese_calendar, "is_workday") as package_calls,
    ):
        for _ in range(20):
            add_working_days(D(2026, 9, 30), 3)
        with django_assert_num_queries(0):
            for _ in range(20):
                WorkingCalendar.for_display().working_days_between(D(2026, 1, 1), D(2026, 12, 31))
    assert built.call_count == 1
    assert package_calls.call_count == 0


@pytest.mark.django_db
def test_an_admin_edit_is_seen_by_the_next_call_in_this_process(fresh_process_calendar):
    assert WorkingCalendar.for_display().is_working_day(D(2026, 10, 10))  # 调休 Saturday
    entry = CalendarDay.objects.create(date=D(2026, 10, 10), kind="holiday", note="改为休息")
    assert not WorkingCalendar.for_display().is_working_day(D(2026, 10, 10))
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 12)
    entry.delete()
    assert WorkingCalendar.for_display().is_working_day(D(2026, 10, 10))
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)


@pytest.mark.django_db
def test_an_edit_made_by_another_process_is_seen_without_a_restart(
    fresh_process_calendar, monkeypatch
):
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    # Another process's edit: the row changes, no signal reaches this process.
    CalendarDay.objects.bulk_create([CalendarDay(date=D(2026, 10, 10), kind="holiday")])
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 12)  # deciding: compared now
    CalendarDay.objects.filter(date=D(2026, 10, 10)).update(kind="workday")
    assert WorkingCalendar.for_display().is_working_day(D(2026, 10, 10)) is False  # shown: later
    monkeypatch.setattr(working_days, "DISPLAY_MAX_AGE", 0.0)  # …once the display age is over
    assert WorkingCalendar.for_display().is_working_day(D(2026, 10, 10)) is True


class RolledBack(Exception):
    pass


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_edit_leaves_the_shown_calendar_cached_again(
    fresh_process_calendar, django_assert_num_queries
):
    WorkingCalendar.for_display()
    with pytest.raises(RolledBack), transaction.atomic():
        CalendarDay.objects.create(date=D(2026, 10, 10), kind="holiday")
        raise RolledBack

    assert WorkingCalendar.for_display().is_working_day(D(2026, 10, 10))  # compared once more
    with django_assert_num_queries(0):
        WorkingCalendar.for_display()
