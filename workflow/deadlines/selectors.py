"""Which cases have a clock in a given state today."""

from config import timesource
from workflow.deadlines.models import Clock


def cases_with_clock_in(state: str):
    """Ids of cases with an open clock that is red (past due) or yellow (80 % used) today.

    Both are date comparisons in SQL: yellow from the day stored on the clock (``yellow_on``).
    """
    today = timesource.today()
    clocks = Clock.objects.scanned()
    if state == "red":
        return clocks.filter(due__lt=today).values("case_id")
    return clocks.filter(due__gte=today, yellow_on__lte=today).values("case_id")
