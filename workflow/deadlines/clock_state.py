"""Pure time-limit computations: a clock's state on a day, the working days left."""

import datetime
import math

from workflow.deadlines.working_days import ONE_DAY, WorkingCalendar

YELLOW_SHARE = 0.8  # yellow once 80 % of the working days have passed


def live_state(
    started: datetime.date, due: datetime.date, today: datetime.date, calendar: WorkingCalendar
) -> str:
    """running, yellow (80 % of the limit used) or red (past the due date)."""
    if today > due:
        return "red"
    total = calendar.working_days_between(started, due)
    used = calendar.working_days_between(started, today)
    if total > 0 and used >= YELLOW_SHARE * total:
        return "yellow"
    return "running"


def yellow_on(
    started: datetime.date, due: datetime.date, calendar: WorkingCalendar
) -> datetime.date:
    """The first day ``live_state`` says yellow (or red), stored on the clock for the scan.

    The day the used working days first reach 80 % of the limit; for a limit without a working
    day in it, which never shows yellow, the day after the due date (when it turns red).
    """
    total = calendar.working_days_between(started, due)
    if total <= 0:
        return due + ONE_DAY
    # The same float product live_state compares with, so both agree on every limit.
    return calendar.add_working_days(started, math.ceil(YELLOW_SHARE * total))


def working_days_left(due: datetime.date, today: datetime.date, calendar: WorkingCalendar) -> int:
    """Working days from today to the due date; negative once overdue."""
    return calendar.working_days_between(today, due)


def clock_view(clock, today: datetime.date | None = None, calendar=None) -> dict:
    """A clock as shown to people (API, pages): live state for open clocks, days left.

    Without a calendar, the process's is used as it is (``WorkingCalendar.for_display``): showing
    a case's clocks costs no query and no calendar load per clock.
    """
    from config import timesource

    today = today or timesource.today()
    calendar = calendar or WorkingCalendar.for_display()
    state = clock.state
    left = None
    if state in ("running", "yellow", "red"):
        state = live_state(clock.started, clock.due, today, calendar)
        left = working_days_left(clock.due, today, calendar)
    labels = dict(clock.State.choices)
    return {
        "id": clock.pk,
        "kind": clock.kind,
        "kind_display": clock.get_kind_display(),
        "started": clock.started,
        "due": clock.due,
        "limit_days": clock.limit_days,
        "paused_days": clock.paused_days,
        "state": state,
        "state_display": labels[state],
        "working_days_left": left,
        "stopped": clock.stopped,
        "calendar_gap": clock.calendar_gap,
    }
