"""The weekly report (周报) the office sends the district government: one week's figures (Monday
to Sunday) on one printable page and in an Excel workbook (exports.weekly_response).

The week is chosen as an ISO week (`2026-W48`, what a week input sends); without one, the last
complete week. The other filters (category, department, tier, route) narrow it as every figure.
Each number follows the board's and the 三率's definitions (docs/statistics.md)."""

import datetime
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from config import timesource
from departments.models import Organisation
from workflow.items.models import ActionItem
from workflow.record.models import Event
from workflow.sessions.models import JointSession
from workflow.statistics.filters import Filters, _midnight, parse
from workflow.statistics.selectors import (
    _in_period,
    _no_department,
    _notices,
    _of_cases,
    case_measure,
    items,
    rates,
)
from workflow.supervision.models import SupervisionNotice

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def last_complete_week(today: datetime.date | None = None) -> datetime.date:
    today = today or timesource.today()
    return today - datetime.timedelta(days=today.weekday() + 7)


def week_start(value: str | None) -> datetime.date:
    """The Monday of an ISO week `YYYY-Www`; the last complete week when none is given. A week
    that has not begun is refused (a ValidationError naming `week`)."""
    if not value:
        return last_complete_week()
    match = WEEK.match(value)
    try:
        monday = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except (TypeError, ValueError):
        raise ValidationError({"week": [_("请选择一周，格式为 2026-W48。")]}) from None
    if monday > timesource.today():
        raise ValidationError({"week": [_("这一周还没有开始。")]})
    return monday


def iso_week(monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year:04d}-W{week:02d}"


def filters_for(params, user) -> Filters:
    """The week's filters: the week as a custom period, the other filters parsed as always."""
    errors = {}
    try:
        monday = week_start(params.get("week"))
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
        monday = last_complete_week()
    sunday = monday + datetime.timedelta(days=6)
    others = {k: v for k, v in params.items() if k in ("category", "department", "tier", "route")}
    try:
        f = parse(
            {**others, "period": "custom", "from": monday.isoformat(), "to": sunday.isoformat()},
            user,
        )
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)
    return f


def _overdue_by_department(f: Filters) -> list[dict]:
    """Per organisation: items due in the week, those of them late (done after their due date,
    or still open past it), and every item overdue at the week's end (or yesterday, for this
    week): due by then and not completed by then; cancelled items left out."""
    today = timesource.today()
    cutoff = min(f.end, today - datetime.timedelta(days=1))
    after_cutoff = _midnight(cutoff + datetime.timedelta(days=1))
    per = defaultdict(lambda: {"due": 0, "late": 0, "overdue_at_end": 0})
    due = (
        items(f)
        .filter(due_date__gte=f.start, due_date__lte=f.end)
        .exclude(status=ActionItem.Status.CANCELLED)
    )
    for owner, n in due.values_list("owner_id").annotate(n=Count("pk")).order_by():
        per[owner]["due"] += n
    late = due.filter(due_date__lt=today).filter(
        Q(completed_at__isnull=True) | Q(completed_at__date__gt=F("due_date"))
    )
    for owner, n in late.values_list("owner_id").annotate(n=Count("pk")).order_by():
        per[owner]["late"] += n
    # Open now and due by the cutoff (the open items' index), and done after the cutoff though
    # due by it: together, what was overdue when the week ended.
    still_open = items(f).overdue(cutoff + datetime.timedelta(days=1))
    done_after = items(f).filter(
        status=ActionItem.Status.DONE, due_date__lte=cutoff, completed_at__gte=after_cutoff
    )
    for qs in (still_open, done_after):
        for owner, n in qs.values_list("owner_id").annotate(n=Count("pk")).order_by():
            per[owner]["overdue_at_end"] += n
    names = dict(Organisation.objects.filter(pk__in=list(per)).values_list("pk", "name"))
    rows = [{"organisation": pk, "name": names.get(pk, ""), **counts} for pk, counts in per.items()]
    rows.sort(key=lambda r: (-r["overdue_at_end"], -r["late"], r["name"]))
    return rows


def _supervision(f: Filters) -> dict:
    issued = _notices(f)
    answered = _of_cases(SupervisionNotice.objects.all(), _no_department(f)).filter(
        _in_period("answered_at", f), status=SupervisionNotice.Status.ANSWERED
    )
    if f.department:
        answered = answered.filter(owner_id=f.department)
    return {
        "issued": issued.count(),
        "answered": answered.count(),
        "answered_late": answered.filter(answered_at__date__gt=F("answer_due")).count(),
    }


def _sessions(f: Filters) -> dict:
    """Sessions held in the week (started in it) by how they ended, and those cancelled in it."""
    sessions = _of_cases(JointSession.objects.all(), f)
    held = sessions.filter(_in_period("started_at", f))
    outcomes = dict(held.values_list("status").annotate(n=Count("pk")).order_by())
    cancelled = sessions.filter(status=JointSession.Status.CANCELLED).filter(
        _in_period("ended_at", f)
    )
    return {
        "held": sum(outcomes.values()),
        "concluded": outcomes.get(JointSession.Status.CONCLUDED, 0),
        "adjourned": outcomes.get(JointSession.Status.ADJOURNED, 0),
        "cancelled": cancelled.count(),
    }


def report(f: Filters) -> dict:
    accepted = _of_cases(Event.objects.filter(kind="accept"), f).filter(_in_period("created_at", f))
    return {
        "week": iso_week(f.start),
        "start": f.start.isoformat(),
        "end": f.end.isoformat(),
        "flow": {
            "filed": case_measure(f, "filed").count(),
            "accepted": accepted.count(),
            "resolved": case_measure(f, "resolved").count(),
            "closed": case_measure(f, "closed").count(),
            "rejected": case_measure(f, "rejected").count(),
            "withdrawn": case_measure(f, "withdrawn").count(),
        },
        "overdue_by_department": _overdue_by_department(f),
        "supervision": _supervision(f),
        "sessions": _sessions(f),
        "rates": rates(f),
    }
