"""Starting, pausing, resuming and stopping clocks as cases move.

Clocks follow the case's state, whatever route fired the transition: a clock starts when the
case enters a state and stops when it leaves it (``CASE_STATE_CLOCKS``). States other apps add
later (convening, deliberated) are matched by name. A case sent back for information
(needs_info) pauses its accept clock; the clock resumes on resubmission, its due date moved by
the working days it was paused.
"""

from config import timesource
from workflow.deadlines.models import Clock
from workflow.deadlines.working_days import WorkingCalendar

# Case state -> (clock kind, Category field with the limit in working days).
CASE_STATE_CLOCKS = {
    "submitted": (Clock.Kind.ACCEPT, "accept_days"),
    "convening": (Clock.Kind.CONVENE, "convene_days"),
    "deliberated": (Clock.Kind.ISSUE_RULES, "rules_days"),
    "resolved": (Clock.Kind.CONFIRM, "confirm_days"),
}
PAUSE_STATE = "needs_info"


def start_case_clock(case, kind: str, days: int, calendar: WorkingCalendar | None = None):
    calendar = calendar or WorkingCalendar()
    today = timesource.today()
    due = calendar.add_working_days(today, days)
    return Clock.objects.create(
        case=case,
        kind=kind,
        started=today,
        due=due,
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
    clock.paused_days += paused
    clock.paused_at = None
    clock.state = Clock.State.RUNNING
    clock.calendar_gap = clock.calendar_gap or calendar.calendar_gap
    clock.save(update_fields=["due", "paused_days", "paused_at", "state", "calendar_gap"])


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
    if target in ("closed", "rejected", "withdrawn"):
        for clock in open_clocks.values():
            stop_clock(clock)


def start_action_item_clock(item) -> Clock:
    """An action item's clock runs from its assignment to its own due date."""
    calendar = WorkingCalendar()
    today = timesource.today()
    calendar.working_days_between(today, item.due_date)  # notes a calendar gap, if any
    return Clock.objects.create(
        case_id=item.case_id,
        action_item=item,
        kind=Clock.Kind.ACTION_ITEM,
        started=today,
        due=item.due_date,
        calendar_gap=calendar.calendar_gap,
    )


def move_action_item_clock(item) -> None:
    """The item's due date moved (an approved extension): its clock follows, warnings anew."""
    Clock.objects.open().filter(action_item=item).update(
        due=item.due_date, state=Clock.State.RUNNING, notified=""
    )


def on_action_item_transition(item, target: str) -> None:
    if target in item.CLOSED_STATES:
        for clock in Clock.objects.open().filter(action_item=item):
            stop_clock(clock)
