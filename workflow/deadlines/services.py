"""Starting, pausing, resuming and stopping clocks as cases move.

Clocks follow the case's state, whatever route fired the transition: a clock starts when the
case enters a state and stops when it leaves it (``CASE_STATE_CLOCKS``). States other apps add
later (convening, deliberated) are matched by name. A case sent back for information
(needs_info) pauses its accept clock; the clock resumes on resubmission, its due date moved by
the working days it was paused.

Each open clock stores the day it turns yellow (``yellow_on``), computed whenever its start or
due date is set, so the scan finds the clocks that change state today in SQL.
"""

from collections import defaultdict

import chinese_calendar
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config import timesource
from config.changelog import ADDED, CHANGED, DELETED, changes, record_change
from departments.permissions import may_keep_reference_data
from workflow.deadlines.calendar import CalendarDay
from workflow.deadlines.clock_state import yellow_on
from workflow.deadlines.models import Clock
from workflow.deadlines.working_days import WorkingCalendar, calendar_edited, package_years

UPDATE_BATCH = 1000  # primary keys per UPDATE … WHERE id IN (…)
# The years a calendar entry may fall in: a typo (20277) is refused rather than stored.
CALENDAR_YEARS = (2000, 2100)

# Case state -> (clock kind, Category field with the limit in working days).
CASE_STATE_CLOCKS = {
    "submitted": (Clock.Kind.ACCEPT, "accept_days"),
    "convening": (Clock.Kind.CONVENE, "convene_days"),
    "deliberated": (Clock.Kind.ISSUE_RULES, "rules_days"),
    "under_review": (Clock.Kind.REVIEW, "accept_days"),
    "resolved": (Clock.Kind.CONFIRM, "confirm_days"),
}
PAUSE_STATE = "needs_info"
# A case the enterprise found unsatisfactory goes back to accepted: the office has the category's
# convening limit to route it again (assign or convene); the clock stops when it leaves accepted.
REOPEN = ("resolved", "accepted")


def start_case_clock(case, kind: str, days: int, calendar: WorkingCalendar | None = None):
    calendar = calendar or WorkingCalendar()
    today = timesource.today()
    due = calendar.add_working_days(today, days)
    return Clock.objects.create(
        case=case,
        kind=kind,
        started=today,
        due=due,
        yellow_on=yellow_on(today, due, calendar),
        limit_days=days,
        calendar_gap=calendar.calendar_gap,
    )


def stop_clock(clock: Clock) -> None:
    today = timesource.today()
    clock.stopped = today
    clock.state = Clock.State.MET if today <= clock.due else Clock.State.MISSED
    clock.save(update_fields=["stopped", "state"])


def pause_clock(clock: Clock) -> None:
    clock.paused_at = timesource.today()
    clock.state = Clock.State.PAUSED
    clock.save(update_fields=["paused_at", "state"])


def resume_clock(clock: Clock, calendar: WorkingCalendar | None = None) -> None:
    """Resume a paused clock; the due date moves by the working days it was paused."""
    calendar = calendar or WorkingCalendar()
    paused = max(calendar.working_days_between(clock.paused_at, timesource.today()), 0)
    clock.due = calendar.add_working_days(clock.due, paused)
    clock.yellow_on = yellow_on(clock.started, clock.due, calendar)
    clock.paused_days += paused
    clock.paused_at = None
    clock.state = Clock.State.RUNNING
    clock.calendar_gap = clock.calendar_gap or calendar.calendar_gap
    clock.save(
        update_fields=["due", "yellow_on", "paused_days", "paused_at", "state", "calendar_gap"]
    )


def on_case_transition(case, source: str, target: str) -> None:
    """Move the case's clocks for one state change (called from the post_transition signal)."""
    if source == target:
        return
    open_clocks = {c.kind: c for c in case.clocks.open().filter(action_item__isnull=True)}
    left = CASE_STATE_CLOCKS.get(source)
    if left and left[0] in open_clocks:
        clock = open_clocks.pop(left[0])
        if target == PAUSE_STATE:
            pause_clock(clock)
        else:
            stop_clock(clock)
    entered = CASE_STATE_CLOCKS.get(target)
    if entered:
        kind, field = entered
        paused = open_clocks.get(kind)
        if paused is not None and paused.state == Clock.State.PAUSED:
            resume_clock(paused)
        elif kind not in open_clocks:
            start_case_clock(case, kind, getattr(case.category, field))
    if source == REOPEN[1] and Clock.Kind.REOPEN in open_clocks:
        stop_clock(open_clocks.pop(Clock.Kind.REOPEN))
    if (source, target) == REOPEN and Clock.Kind.REOPEN not in open_clocks:
        start_case_clock(case, Clock.Kind.REOPEN, case.category.convene_days)
    if target in ("closed", "rejected", "withdrawn"):
        for clock in open_clocks.values():
            stop_clock(clock)


def start_action_item_clock(item) -> Clock:
    """An action item's clock runs from its assignment to its own due date."""
    calendar = WorkingCalendar()
    today = timesource.today()
    yellow = yellow_on(today, item.due_date, calendar)  # counts (today, due]: notes a gap
    return Clock.objects.create(
        case_id=item.case_id,
        action_item=item,
        kind=Clock.Kind.ACTION_ITEM,
        started=today,
        due=item.due_date,
        yellow_on=yellow,
        calendar_gap=calendar.calendar_gap,
    )


def move_action_item_clock(item) -> None:
    """The item's due date moved (an approved extension): its clock follows, warnings anew."""
    calendar = WorkingCalendar()
    for pk, started in Clock.objects.open().filter(action_item=item).values_list("pk", "started"):
        Clock.objects.filter(pk=pk).update(
            due=item.due_date,
            yellow_on=yellow_on(started, item.due_date, calendar),
            state=Clock.State.RUNNING,
            notified="",
        )


def store_yellow_dates(clocks, calendar: WorkingCalendar) -> int:
    """Store the yellow day of each clock in ``clocks`` whose stored one differs; in bulk.

    One UPDATE per distinct day (and batch of keys), not one per clock: clocks share their
    yellow days. ``clocks`` may be a migration's historical queryset. Returns the clocks changed.
    """
    by_day = defaultdict(list)
    for pk, started, due, stored in clocks.values_list("pk", "started", "due", "yellow_on"):
        day = yellow_on(started, due, calendar)
        if day != stored:
            by_day[day].append(pk)
    for day, pks in by_day.items():
        for start in range(0, len(pks), UPDATE_BATCH):
            clocks.model.objects.filter(pk__in=pks[start : start + UPDATE_BATCH]).update(
                yellow_on=day
            )
    return sum(len(pks) for pks in by_day.values())


def refresh_yellow_dates() -> int:
    """The admin calendar changed: the open clocks' yellow days follow it (due dates stay)."""
    return store_yellow_dates(Clock.objects.open(), WorkingCalendar())


def on_action_item_transition(item, target: str) -> None:
    if target in item.CLOSED_STATES:
        for clock in Clock.objects.open().filter(action_item=item):
            stop_clock(clock)


# The working calendar (工作日历) kept from its page by the office leader and the administrator.
# Saving or deleting one day goes through the model's signals (signals.follow_calendar_edit:
# this process forgets its table, the open clocks' yellow days follow); an import writes many
# days at once and does the same once, itself.


def _keeper(by) -> None:
    if not may_keep_reference_data(by):
        raise PermissionDenied(_("只有政务服务办领导和系统管理员可以维护工作日历。"))


def _check_day(day: CalendarDay) -> None:
    if day.date is not None and not CALENDAR_YEARS[0] <= day.date.year <= CALENDAR_YEARS[1]:
        raise ValidationError(
            {
                "date": [
                    _("请填写 %(first)s 至 %(last)s 年之间的日期。")
                    % {"first": CALENDAR_YEARS[0], "last": CALENDAR_YEARS[1]}
                ]
            }
        )
    if day.kind == CalendarDay.Kind.WORKDAY and day.date is not None and day.date.weekday() < 5:
        raise ValidationError({"kind": [_("调休工作日应是周六或周日；周一至周五本来就是工作日。")]})
    clash = CalendarDay.objects.filter(date=day.date).exclude(pk=day.pk)
    if day.date is not None and clash.exists():
        raise ValidationError({"date": [_("%(day)s 已有记录，请修改那一条。") % {"day": day.date}]})
    day.full_clean()


@transaction.atomic
def calendar_day_save(*, by, day: CalendarDay | None = None, **fields) -> CalendarDay:
    """Enter a holiday or a working weekend (调休), or change one."""
    _keeper(by)
    adding = day is None
    day = CalendarDay() if adding else CalendarDay.objects.select_for_update().get(pk=day.pk)
    changed = [name for name in ("date", "kind", "note") if getattr(day, name) != fields[name]]
    for name in changed:
        setattr(day, name, fields[name])
    _check_day(day)
    if adding or changed:
        day.save()
        message = [{"added": {}}] if adding else changes(day, changed)
        record_change(by=by, obj=day, action=ADDED if adding else CHANGED, message=message)
    return day


@transaction.atomic
def calendar_day_delete(*, by, day: CalendarDay) -> None:
    _keeper(by)
    day = CalendarDay.objects.select_for_update().get(pk=day.pk)
    record_change(by=by, obj=day, action=DELETED, message=[{"deleted": {}}])
    day.delete()


def package_days(year: int) -> list[CalendarDay]:
    """The chinese-calendar package's holidays and working weekends of `year` (none when the
    package does not know the year), each named as the State Council notice names it."""
    if year not in package_years():
        return []
    names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    days = [
        CalendarDay(date=date, kind=kind, note=names.get(name, name or ""))
        for kind, table in (
            (CalendarDay.Kind.HOLIDAY, chinese_calendar.holidays),
            (CalendarDay.Kind.WORKDAY, chinese_calendar.workdays),
        )
        for date, name in table.items()
        if date.year == year
    ]
    return sorted(days, key=lambda day: day.date)


@transaction.atomic
def calendar_import_year(*, by, year: int) -> int:
    """Copy the package's days of `year` into the calendar, where it does not have the date yet;
    returns how many were added. A year the package does not know is refused."""
    _keeper(by)
    days = package_days(year)
    if not days:
        raise ValidationError(
            _("内置数据没有 %(year)s 年：请按国务院办公厅通知逐日录入。") % {"year": year}
        )
    known = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    added = CalendarDay.objects.bulk_create([day for day in days if day.date not in known])
    if added:
        # bulk_create sends no post_save: follow the edit here, as the signal does for one day.
        calendar_edited()
        refresh_yellow_dates()
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=CalendarDay.objects.filter(date__in=[day.date for day in added]),
            action_flag=ADDED,
            change_message=[{"added": {}}],
        )
    return len(added)
