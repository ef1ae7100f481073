"""Which cases have a clock in a given state today."""

from config import timesource
from workflow.deadlines.clock_state import live_state
from workflow.deadlines.models import Clock
from workflow.deadlines.working_days import WorkingCalendar


def cases_with_clock_in(state: str):
    """Ids of cases with an open clock that is red (past due) or yellow (80 % used) today."""
    today = timesource.today()
    clocks = Clock.objects.open().exclude(state=Clock.State.PAUSED)
    if state == "red":
        return clocks.filter(due__lt=today).values("case_id")
    calendar = WorkingCalendar()
    return [
        c.case_id
        for c in clocks.filter(due__gte=today).only("case_id", "started", "due")
        if live_state(c.started, c.due, today, calendar) == "yellow"
    ]
