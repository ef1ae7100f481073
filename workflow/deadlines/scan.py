"""The time-limit scan: turn clocks yellow and red, tell people once, close unanswered cases.

Run by the scheduler through the worker, or once with ``manage.py scan_time_limits``. Running it
twice on a day changes nothing the second time: each clock records the highest warning sent.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cases.models import Case
from config import timesource
from workflow.deadlines.clock_state import live_state
from workflow.deadlines.models import Clock
from workflow.deadlines.working_days import WorkingCalendar
from workflow.notifications.models import Notification
from workflow.notifications.services import case_url, coordinators, members_of, notify
from workflow.record.services import record_event

logger = logging.getLogger(__name__)

LEVEL = {"": 0, "running": 0, "yellow": 1, "red": 2}


@dataclass
class ScanResult:
    checked: int = 0
    yellow: int = 0
    red: int = 0
    closed_unanswered: int = 0


def warning_recipients(clock: Clock, level: str) -> list:
    """Who hears about a clock: its owner; at red also the owner's leaders and coordinators."""
    case = clock.case
    if clock.kind == Clock.Kind.CONFIRM:
        return list(members_of(case.enterprise_id))
    if clock.action_item_id:
        owner = clock.action_item.owner_id
        people = list(members_of(owner))
        if level == "red":
            people += list(members_of(owner, leaders_only=True)) + list(coordinators())
        return people
    return list(coordinators())  # the office owns accept, convene and issue-rules limits


def warn(clock: Clock, level: str) -> None:
    labels = {"yellow": _("即将到期"), "red": _("已超期")}
    title = _("时限提醒：%(case)s「%(kind)s」%(level)s（%(due)s 到期）") % {
        "case": clock.case.reference,
        "kind": clock.get_kind_display(),
        "level": labels[level],
        "due": clock.due.isoformat(),
    }
    notify(
        recipients=warning_recipients(clock, level),
        kind=Notification.Kind.DEADLINE,
        title=title,
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


def scan_time_limits() -> ScanResult:
    today = timesource.today()
    calendar = WorkingCalendar()
    result = ScanResult()
    clocks = Clock.objects.filter(
        state__in=[Clock.State.RUNNING, Clock.State.YELLOW, Clock.State.RED]
    ).select_related("case", "action_item")
    for clock in clocks.iterator(chunk_size=500):
        result.checked += 1
        state = live_state(clock.started, clock.due, today, calendar)
        if state == clock.state and LEVEL[state] <= LEVEL[clock.notified]:
            continue
        with transaction.atomic():
            if clock.kind == Clock.Kind.CONFIRM and state == "red":
                if close_unanswered(clock.case):
                    result.closed_unanswered += 1
                continue  # closing stops the clock (post_transition)
            clock.state = state
            fields = ["state"]
            if LEVEL[state] > LEVEL[clock.notified]:
                warn(clock, state)
                clock.notified = state
                fields.append("notified")
                setattr(result, state, getattr(result, state) + 1)
            clock.save(update_fields=fields)
    logger.info("Time-limit scan for %s: %s", today, result)
    return result
