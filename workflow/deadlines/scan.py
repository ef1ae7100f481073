"""The time-limit scan: turn clocks yellow and red, tell people once, close unanswered cases.

Run by the scheduler through the worker, or once with ``manage.py scan_time_limits``. Running it
twice on a day changes nothing the second time: each clock records the highest warning sent.

The scan reads only the clocks whose state changes today, found in SQL from the due date and the
stored yellow day (``Clock.yellow_on``) through partial indexes on the open clocks, never every
open clock: at a city's volume (75,000 open clocks) a day changes a few thousand.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django_fsm import can_proceed

from cases.models import Case
from config import timesource
from workflow.deadlines.models import Clock
from workflow.deadlines.services import UPDATE_BATCH, store_yellow_dates
from workflow.deadlines.working_days import WorkingCalendar
from workflow.notifications.models import Notification
from workflow.notifications.services import (
    Notice,
    case_url,
    coordinators,
    members_of,
    notify_many,
)
from workflow.record.services import record_event

logger = logging.getLogger(__name__)

LEVEL = {"": 0, "running": 0, "yellow": 1, "red": 2}
CHUNK = 500  # clocks warned and updated per transaction


@dataclass
class ScanResult:
    checked: int = 0  # clocks read: those whose state or warning changes today
    yellow: int = 0
    red: int = 0
    closed_unanswered: int = 0


class Recipients:
    """Who hears about a clock: its owner; at red also the owner's leaders and coordinators.

    Each organisation's people are read once per scan, not once per clock."""

    def __init__(self):
        self._coordinators = None
        self._members = {}

    def coordinators(self) -> list:
        if self._coordinators is None:
            self._coordinators = list(coordinators())
        return self._coordinators

    def members(self, organisation_id, *, leaders_only: bool = False) -> list:
        key = (organisation_id, leaders_only)
        if key not in self._members:
            self._members[key] = list(members_of(organisation_id, leaders_only=leaders_only))
        return self._members[key]

    def of(self, clock: Clock, level: str) -> list:
        if clock.kind == Clock.Kind.CONFIRM:
            return self.members(clock.case.enterprise_id)
        if clock.action_item_id:
            owner = clock.action_item.owner_id
            people = self.members(owner)
            if level == "red":
                people = people + self.members(owner, leaders_only=True) + self.coordinators()
            return people
        return self.coordinators()  # the office owns accept, convene and issue-rules limits


def warning(clock: Clock, level: str, recipients: Recipients) -> Notice:
    """The warning about one clock at one level, once per person ever (its dedupe key)."""
    params = {"case": clock.case.reference, "kind": clock.kind, "level": level, "due": clock.due}
    return Notice(
        recipients=recipients.of(clock, level),
        kind=Notification.Kind.DEADLINE,
        params=params,
        case=clock.case,
        url=case_url(clock.case),
        dedupe_key=f"clock:{clock.pk}:{level}",
    )


def close_unanswered(case: Case) -> bool:
    """Close a resolved case the enterprise did not confirm in time; False if it moved on."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_proceed(case.close_unanswered):
        return False
    from_state = case.status
    case.close_unanswered()
    case.save()
    record_event(case=case, kind="close_unanswered", from_state=from_state, to_state=case.status)
    return True


def changing_today(today):
    """Open clocks whose state or warning changes today: a union of index ranges.

    A clock's state and its warning move together (the scan sets both; an extension or a resume
    resets the state to running), so a clock needs the scan when its stored state is not today's
    or, for data written outside the scan, when its state is ahead of its warning.
    Today's state is red after the due date, yellow from ``yellow_on``, running before.
    """
    running, yellow, red = Clock.State.RUNNING, Clock.State.YELLOW, Clock.State.RED
    return Clock.objects.scanned().filter(
        Q(state=running, yellow_on__lte=today)  # turns yellow or red (yellow_on <= due + 1)
        | Q(state=yellow, due__lt=today)  # turns red
        | Q(state=yellow, yellow_on__gt=today)  # back to running: the calendar moved it
        | Q(state=red, due__gte=today)  # back: its due date moved
        | Q(state=yellow, notified="")
        | Q(state=red, notified__in=["", "yellow"])
    )


def state_today(clock: Clock, today) -> str:
    """The state ``clock_state.live_state`` gives, from the stored yellow day."""
    if today > clock.due:
        return "red"
    return "yellow" if clock.yellow_on <= today else "running"


def scan_time_limits() -> ScanResult:
    today = timesource.today()
    calendar = WorkingCalendar()
    result = ScanResult()
    # Clocks written without a yellow day (by a bulk loader, say) get one first.
    store_yellow_dates(Clock.objects.scanned().filter(yellow_on__isnull=True).order_by(), calendar)
    pks = list(changing_today(today).order_by("pk").values_list("pk", flat=True))
    result.checked = len(pks)
    recipients = Recipients()
    for start in range(0, len(pks), CHUNK):
        # Cases and items by primary key per chunk: joined to the whole candidate set, the
        # planner misjudges its size and reads the case table through (EXPLAIN at 1M).
        # A clock a closure in an earlier chunk stopped is no longer scanned.
        clocks = (
            Clock.objects.scanned()
            .filter(pk__in=pks[start : start + CHUNK])
            .order_by("pk")
            .prefetch_related("case", "action_item")
        )
        with transaction.atomic():
            _scan_chunk(clocks, today, result, recipients)
    logger.info("Time-limit scan for %s: %s", today, result)
    return result


def _scan_chunk(clocks, today, result: ScanResult, recipients: Recipients) -> None:
    """Warn and move one chunk of clocks in one transaction: warnings and states commit
    together, so a scan stopped half-way warns no one twice when it runs again."""
    moves = {}  # (state, notified) -> clock ids
    warnings = []
    for clock in clocks:
        state = state_today(clock, today)
        if state == clock.state and LEVEL[state] <= LEVEL[clock.notified]:
            continue
        if clock.kind == Clock.Kind.CONFIRM and state == "red":
            with transaction.atomic():
                if close_unanswered(clock.case):
                    result.closed_unanswered += 1
            continue  # closing stops the clock (post_transition)
        notified = clock.notified
        if LEVEL[state] > LEVEL[notified]:
            warnings.append(warning(clock, state, recipients))
            notified = state
            setattr(result, state, getattr(result, state) + 1)
        moves.setdefault((state, notified), []).append(clock.pk)
    notify_many(warnings)
    for (state, notified), pks in moves.items():
        for start in range(0, len(pks), UPDATE_BATCH):
            Clock.objects.filter(pk__in=pks[start : start + UPDATE_BATCH]).update(
                state=state, notified=notified
            )
