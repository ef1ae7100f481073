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

from config import timesource
from workflow.deadlines.clock_state import yellow_on
from workflow.deadlines.models import Clock
from workflow.deadlines.working_days import WorkingCalendar

UPDATE_BATCH = 1000  # primary keys per UPDATE … WHERE id IN (…)

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
