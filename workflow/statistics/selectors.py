"""Read-only figures over the workflow's models, for one set of `Filters`.

Each function returns plain data (numbers, strings, lists, dicts) so the pages, the API, the
exports and the daily rollup (rollup.py) share it unchanged. Every figure names the measure its
drill-down list shows (`case_measure`, `item_measure`). Definitions: definitions.py and
docs/statistics.md.
"""

import datetime
from collections import defaultdict
from dataclasses import replace

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.models import Case, Category
from config import timesource
from departments.models import Organisation, User
from workflow.deadlines.models import Clock
from workflow.deadlines.working_days import WorkingCalendar
from workflow.extensions.models import Extension
from workflow.items.models import ActionItem
from workflow.record.models import Event
from workflow.sessions.models import JointSession
from workflow.statistics.definitions import SIGN_DAYS, rate, weighted_median
from workflow.statistics.filters import ASSIGNEE_KINDS, Filters
from workflow.supervision.models import SupervisionNotice

OPEN_CASE_STATES = [
    s for s in Case.Status.values if s not in ("draft", "closed", "rejected", "withdrawn")
]
SATISFIED = [Case.Rating.SATISFIED, Case.Rating.BASICALLY_SATISFIED]


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def _in_period(field: str, f: Filters) -> Q:
    return Q(**{f"{field}__gte": f.since, f"{field}__lt": f.until})


def _convened(case_ref: str):
    return Exists(JointSession.objects.filter(case_id=OuterRef(case_ref)))


def _case_conditions(f: Filters, prefix: str = "") -> Q:
    """The case filters, from a case (prefix "") or a row with a case (prefix "case__")."""
    q = Q()
    if f.category:
        q &= Q(**{f"{prefix}category_id": f.category})
    if f.tier is not None:
        q &= Q(**{f"{prefix}enterprise__tier": f.tier})
    if f.channel:
        q &= Q(**{f"{prefix}source_channel": f.channel})
    return q


def _case_filtered(f: Filters) -> bool:
    """Whether the filters narrow the cases at all (every event, clock and notice belongs to a
    submitted case, so without a filter the `case__in` condition only costs a join)."""
    return bool(f.category or f.tier is not None or f.route or f.department or f.channel)


def _of_cases(qs, f: Filters, field: str = "case__in"):
    return qs.filter(**{field: cases(f)}) if _case_filtered(f) else qs


def cases(f: Filters):
    """The cases the filters select (never drafts): category, tier, route, department."""
    qs = Case.objects.exclude(status=Case.Status.DRAFT).filter(_case_conditions(f))
    if f.route == "convened":
        qs = qs.filter(_convened("pk"))
    elif f.route == "direct":
        qs = qs.filter(~_convened("pk"), Exists(ActionItem.objects.filter(case_id=OuterRef("pk"))))
    if f.department:
        qs = qs.filter(
            Exists(ActionItem.objects.filter(case_id=OuterRef("pk"), owner_id=f.department))
        )
    return qs


def items(f: Filters):
    """The action items the filters select: their case's category, tier and route; the owner."""
    qs = ActionItem.objects.filter(_case_conditions(f, "case__"))
    if f.route == "convened":
        qs = qs.filter(_convened("case_id"))
    elif f.route == "direct":
        qs = qs.filter(~_convened("case_id"))
    if f.department:
        qs = qs.filter(owner_id=f.department)
    return qs


def _first_sign():
    return Subquery(
        Event.objects.filter(action_item_id=OuterRef("pk"), kind="action_item_sign")
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )


def _first_signer():
    return Subquery(
        Event.objects.filter(action_item_id=OuterRef("pk"), kind="action_item_sign")
        .order_by("created_at", "id")
        .values("actor_id")[:1]
    )


# --- Case measures: each a queryset of the filtered cases (drill-downs use the same). ---


def case_measure(f: Filters, measure: str):
    base = cases(f)
    today = timesource.today()
    if measure == "open":
        return base.filter(status__in=OPEN_CASE_STATES)
    if measure == "filed":
        return base.filter(_in_period("submitted_at", f))
    if measure == "resolved":
        return base.filter(_in_period("resolved_at", f))
    if measure == "closed":
        return base.filter(_in_period("closed_at", f), status=Case.Status.CLOSED)
    if measure == "rejected":
        return base.filter(_in_period("closed_at", f), status=Case.Status.REJECTED)
    if measure == "withdrawn":
        return base.filter(_in_period("closed_at", f), status=Case.Status.WITHDRAWN)
    if measure == "convened":
        return base.filter(_in_period("submitted_at", f)).filter(_convened("pk"))
    if measure == "direct":
        return (
            base.filter(_in_period("submitted_at", f))
            .filter(~_convened("pk"))
            .filter(Exists(ActionItem.objects.filter(case_id=OuterRef("pk"))))
        )
    if measure in ("accept_due", "accepted_on_time"):
        clocks = _accept_clocks(f, today)
        if measure == "accepted_on_time":
            clocks = clocks.filter(state=Clock.State.MET)
        return base.filter(pk__in=clocks.values("case_id"))
    if measure == "solved":
        return case_measure(f, "closed").filter(closure_kind=Case.ClosureKind.RATED)
    if measure == "unanswered":
        return case_measure(f, "closed").filter(closure_kind=Case.ClosureKind.NO_ANSWER)
    if measure in ("rated", "satisfied"):
        events = _confirmations(f)
        if measure == "satisfied":
            events = events.filter(payload__rating__in=SATISFIED)
        return base.filter(pk__in=events.values("case_id"))
    raise KeyError(measure)


CASE_MEASURES = [
    "open",
    "filed",
    "resolved",
    "closed",
    "rejected",
    "withdrawn",
    "convened",
    "direct",
    "accept_due",
    "accepted_on_time",
    "solved",
    "unanswered",
    "rated",
    "satisfied",
]


def _accept_clocks(f: Filters, today):
    """Acceptance clocks started in the period whose outcome is known: the case was accepted
    (on time: met; late: missed), or it still waits past its limit (red). A case refused or
    withdrawn before acceptance is not counted (its refusal is counted apart)."""
    accepted = Exists(Event.objects.filter(case_id=OuterRef("case_id"), kind="accept"))
    clocks = Clock.objects.filter(
        kind=Clock.Kind.ACCEPT,
        action_item__isnull=True,
        started__gte=f.start,
        started__lte=f.end,
    )
    return _of_cases(clocks, f).filter(
        (Q(state__in=[Clock.State.MET, Clock.State.MISSED]) & Q(accepted))
        | Q(state__in=Clock.OPEN_STATES, due__lt=today)
    )


def _confirmations(f: Filters):
    """The enterprise's answers (confirm events) in the period: a reopened case's
    dissatisfied answer and its later rating are two answers."""
    return _of_cases(Event.objects.filter(kind="confirm"), f).filter(_in_period("created_at", f))


# --- Item measures. ---


def _item_rows_signed(f: Filters):
    """Items assigned in the period with their first signing: (id, owner, created, signed,
    status)."""
    return (
        items(f)
        .filter(_in_period("created_at", f))
        .annotate(signed_at=_first_sign())
        .values_list("pk", "owner_id", "created_at", "signed_at", "status")
    )


def _sign_outcomes(f: Filters):
    """{item id: (owner, on_time: bool)} for the items whose signing is due: signed, or unsigned
    past the sign limit (an item cancelled before anyone signed it is left out)."""
    calendar = WorkingCalendar.for_display()
    today = timesource.today()
    outcomes = {}
    for pk, owner, created, signed, status in _item_rows_signed(f):
        limit = calendar.add_working_days(_local_date(created), SIGN_DAYS)
        if signed is not None:
            outcomes[pk] = (owner, _local_date(signed) <= limit)
        elif status != ActionItem.Status.CANCELLED and today > limit:
            outcomes[pk] = (owner, False)
    return outcomes


def _completed(f: Filters):
    return items(f).filter(_in_period("completed_at", f), status=ActionItem.Status.DONE)


def _overdue_in_period(f: Filters):
    """Open items whose due date fell in the period and has passed: late, not yet done."""
    today = timesource.today()
    return (
        items(f)
        .exclude(status__in=ActionItem.CLOSED_STATES)
        .filter(due_date__gte=f.start, due_date__lte=f.end, due_date__lt=today)
    )


def _completion_outcomes(f: Filters):
    """{item id: (owner, on_time)} for items completed in the period (by their due date, an
    approved extension's included) and open items overdue with a due date in the period."""
    outcomes = {}
    for pk, owner, done, due in _completed(f).values_list(
        "pk", "owner_id", "completed_at", "due_date"
    ):
        outcomes[pk] = (owner, _local_date(done) <= due)
    for pk, owner in _overdue_in_period(f).values_list("pk", "owner_id"):
        outcomes[pk] = (owner, False)
    return outcomes


# Counting at volume: rows are grouped by their local days in SQL, and the working-day arithmetic
# runs once per distinct pair of days, not once per item (a year holds a few hundred days and
# hundreds of thousands of items).


def _sign_counts(f: Filters) -> dict:
    """{owner: [signed on time, signing due]} (see _sign_outcomes, which lists the items)."""
    calendar = WorkingCalendar.for_display()
    today = timesource.today()
    limits = {}

    def limit(day):
        if day not in limits:
            limits[day] = calendar.add_working_days(day, SIGN_DAYS)
        return limits[day]

    counts = defaultdict(lambda: [0, 0])
    assigned = items(f).filter(_in_period("created_at", f)).annotate(signed_at=_first_sign())
    signed = (
        assigned.filter(signed_at__isnull=False)
        .annotate(day=TruncDate("created_at"), signed_day=TruncDate("signed_at"))
        .values_list("owner_id", "day", "signed_day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for owner, day, signed_day, n in signed:
        counts[owner][1] += n
        if signed_day <= limit(day):
            counts[owner][0] += n
    unsigned = (
        assigned.filter(signed_at__isnull=True)
        .exclude(status=ActionItem.Status.CANCELLED)
        .annotate(day=TruncDate("created_at"))
        .values_list("owner_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for owner, day, n in unsigned:
        if today > limit(day):
            counts[owner][1] += n
    return counts


def _completion_counts(f: Filters) -> dict:
    """{owner: [completed on time, completion due]} (see _completion_outcomes)."""
    counts = defaultdict(lambda: [0, 0])
    done = (
        _completed(f)
        .annotate(day=TruncDate("completed_at"))
        .values_list("owner_id", "day", "due_date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for owner, day, due, n in done:
        counts[owner][1] += n
        if day <= due:
            counts[owner][0] += n
    for owner, n in _counts(_overdue_in_period(f), "owner_id").items():
        counts[owner][1] += n
    return counts


def _median_days(qs, start: str, end: str, by: str | None = None) -> dict:
    """{group: median working days from `start` to `end`} (one group, None, without `by`)."""
    calendar = WorkingCalendar.for_display()
    fields = ([by] if by else []) + ["a", "b"]
    rows = (
        qs.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
        .annotate(a=TruncDate(start), b=TruncDate(end))
        .values_list(*fields)
        .annotate(n=Count("pk"))
        .order_by()
    )
    pairs = defaultdict(list)
    for row in rows:
        group, a, b, n = row if by else (None, *row)
        pairs[group].append((max(calendar.working_days_between(a, b), 0), n))
    return {group: weighted_median(values) for group, values in pairs.items()}


def item_measure(f: Filters, measure: str, owner: int | None = None):
    if owner:
        f = replace(f, department=owner)
    base = items(f)
    today = timesource.today()
    if measure == "received":
        return base.filter(_in_period("created_at", f))
    if measure in ("sign_due", "signed_on_time", "signed_late"):
        outcomes = _sign_outcomes(f)
        if measure == "signed_on_time":
            keep = [pk for pk, (_o, ok) in outcomes.items() if ok]
        elif measure == "signed_late":
            keep = [pk for pk, (_o, ok) in outcomes.items() if not ok]
        else:
            keep = list(outcomes)
        return base.filter(pk__in=keep)
    if measure in ("completion_due", "completed_on_time"):
        outcomes = _completion_outcomes(f)
        wanted = [pk for pk, (_o, ok) in outcomes.items() if ok or measure == "completion_due"]
        return base.filter(pk__in=wanted)
    if measure == "completed":
        return base.filter(_in_period("completed_at", f), status=ActionItem.Status.DONE)
    if measure == "overdue_now":
        return base.overdue(today)
    if measure in ("clock_on_time", "clock_yellow", "clock_red"):
        states = {
            "clock_on_time": [Clock.State.RUNNING, Clock.State.PAUSED],
            "clock_yellow": [Clock.State.YELLOW],
            "clock_red": [Clock.State.RED],
        }[measure]
        return base.exclude(status__in=ActionItem.CLOSED_STATES).filter(
            Exists(Clock.objects.filter(action_item_id=OuterRef("pk"), state__in=states))
        )
    if measure == "returned":
        # The item may have been reassigned since: found whoever owns it now.
        return items(_no_department(f)).filter(pk__in=_returns(f).values("action_item_id"))
    if measure in ("extension_requested", "extension_granted"):
        extensions = _extensions(f)
        if measure == "extension_granted":
            extensions = extensions.filter(status=Extension.Status.APPROVED)
        return base.filter(pk__in=extensions.values("action_item_id"))
    if measure in ("supervised", "supervision_late"):
        notices = _notices(f)
        if measure == "supervision_late":
            notices = notices.filter(_late_notice(today))
        return base.filter(pk__in=notices.values("action_item_id"))
    raise KeyError(measure)


ITEM_MEASURES = [
    "received",
    "sign_due",
    "signed_on_time",
    "signed_late",
    "completion_due",
    "completed_on_time",
    "completed",
    "overdue_now",
    "clock_on_time",
    "clock_yellow",
    "clock_red",
    "returned",
    "extension_requested",
    "extension_granted",
    "supervised",
    "supervision_late",
]


def _returns(f: Filters):
    """退单: an owner returned an item to the office in the period (the returning organisation
    is the event's; the item may have been reassigned since)."""
    events = _of_cases(
        Event.objects.filter(kind="action_item_return_to_coordinator"), _no_department(f)
    ).filter(_in_period("created_at", f))
    if f.department:
        events = events.filter(actor_organisation_id=f.department)
    return events


def _no_department(f: Filters) -> Filters:
    return replace(f, department=None)


def _extensions(f: Filters):
    return Extension.objects.filter(action_item__in=items(f)).filter(_in_period("created_at", f))


def _notices(f: Filters):
    notices = _of_cases(SupervisionNotice.objects.all(), _no_department(f)).filter(
        _in_period("created_at", f)
    )
    if f.department:
        notices = notices.filter(owner_id=f.department)
    return notices


def _late_notice(today) -> Q:
    """Answered after its answer deadline, or still unanswered past it."""
    return Q(status=SupervisionNotice.Status.ANSWERED, answered_at__date__gt=F("answer_due")) | Q(
        status=SupervisionNotice.Status.ISSUED, answer_due__lt=today
    )


# --- The figures. ---


def rates(f: Filters) -> dict:
    """The 三率 (docs/statistics.md): each as numerator, denominator and percentage."""
    today = timesource.today()
    accept = _accept_clocks(f, today)
    signs = _sign_counts(f)
    completions = _completion_counts(f)
    closed = case_measure(f, "closed")
    confirmations = _confirmations(f)
    return {
        "response_cases": rate(
            accept.filter(state=Clock.State.MET).count(), accept.values("case_id").count()
        ),
        "response_items": rate(*map(sum, zip(*signs.values(), strict=True)))
        if signs
        else rate(0, 0),
        "on_time": rate(*map(sum, zip(*completions.values(), strict=True)))
        if completions
        else rate(0, 0),
        "resolution": rate(
            closed.filter(closure_kind=Case.ClosureKind.RATED).count(), closed.count()
        ),
        "resolution_apart": {
            "rejected": case_measure(f, "rejected").count(),
            "withdrawn": case_measure(f, "withdrawn").count(),
        },
        "satisfaction": rate(
            confirmations.filter(payload__rating__in=SATISFIED).count(), confirmations.count()
        ),
        "satisfaction_apart": {"unanswered": case_measure(f, "unanswered").count()},
    }


def _counts(qs, field: str) -> dict:
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk")).order_by()}


def overview(f: Filters) -> dict:
    """The board (docs/statistics.md): what is open now, what moved in the period, how fast."""
    open_cases = case_measure(f, "open")
    by_status = _counts(open_cases, "status")
    by_category = _counts(open_cases, "category_id")
    by_urgency = _counts(open_cases, "urgency")
    categories = dict(Category.objects.values_list("pk", "name"))
    status_labels = dict(Case.Status.choices)
    urgency_labels = dict(Case.Urgency.choices)

    clocks = defaultdict(lambda: {"on_time": 0, "yellow": 0, "red": 0})
    open_items = items(f).exclude(status__in=ActionItem.CLOSED_STATES)
    # From the open items (a tenth of all, indexed) to their clocks, not from every clock.
    rows = (
        open_items.filter(clocks__kind=Clock.Kind.ACTION_ITEM, clocks__state__in=Clock.OPEN_STATES)
        .values("owner_id", "clocks__state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        column = {"yellow": "yellow", "red": "red"}.get(row["clocks__state"], "on_time")
        clocks[row["owner_id"]][column] += row["n"]
    names = dict(Organisation.objects.filter(pk__in=list(clocks)).values_list("pk", "name"))
    departments = sorted(
        (
            {"organisation": pk, "name": names.get(pk, ""), **counts}
            for pk, counts in clocks.items()
        ),
        key=lambda row: (-row["red"], -row["yellow"], row["name"]),
    )

    filed = case_measure(f, "filed")
    accepted = _of_cases(Event.objects.filter(kind="accept"), f).filter(_in_period("created_at", f))
    resolved = case_measure(f, "resolved")
    closed = case_measure(f, "closed")
    return {
        "period": {"start": f.start.isoformat(), "end": f.end.isoformat()},
        "open_cases": {
            "total": sum(by_status.values()),
            "by_status": [
                {"status": s, "label": str(status_labels[s]), "count": by_status[s]}
                for s in OPEN_CASE_STATES
                if by_status.get(s)
            ],
            "by_category": sorted(
                (
                    {"category": pk, "label": categories.get(pk, ""), "count": n}
                    for pk, n in by_category.items()
                ),
                key=lambda row: -row["count"],
            ),
            "by_urgency": [
                {"urgency": u, "label": str(urgency_labels[u]), "count": by_urgency[u]}
                for u in Case.Urgency.values
                if by_urgency.get(u)
            ],
        },
        "items_by_department": departments,
        "flow": {
            "filed": filed.count(),
            "resolved": resolved.count(),
            "closed": closed.count(),
        },
        "route": {
            "convened": case_measure(f, "convened").count(),
            "direct": case_measure(f, "direct").count(),
        },
        "median_working_days": {
            "to_acceptance": _median_days(accepted, "case__submitted_at", "created_at").get(None),
            "to_resolution": _median_days(resolved, "submitted_at", "resolved_at").get(None),
            "to_closure": _median_days(closed, "submitted_at", "closed_at").get(None),
        },
        "rates": rates(f),
    }


LEAGUE_COLUMNS = [
    "received",
    "signed_late",
    "completed_on_time",
    "overdue_now",
    "returned",
    "extension_requested",
    "extension_granted",
    "supervised",
    "supervision_late",
    "median_days",
    "response_items",
    "on_time",
]


def league(f: Filters) -> list[dict]:
    """部门考核: one row per department or third party that had work in the period or has
    overdue items now; sorted by the caller (`sort_league`)."""
    today = timesource.today()
    per = defaultdict(lambda: defaultdict(int))

    def add(column, counts):
        for owner, n in counts.items():
            per[owner][column] += n

    add("received", _counts(item_measure(f, "received"), "owner_id"))
    add("overdue_now", _counts(items(f).overdue(today), "owner_id"))
    sign_split = _sign_counts(f)
    done_split = _completion_counts(f)
    for owner, (ok, due) in sign_split.items():
        per[owner]["signed_late"] += due - ok
    for owner, (ok, _due) in done_split.items():
        per[owner]["completed_on_time"] += ok
    add("returned", _counts(_returns(f), "actor_organisation_id"))
    extensions = _extensions(f)
    add("extension_requested", _counts(extensions, "action_item__owner_id"))
    add(
        "extension_granted",
        _counts(extensions.filter(status=Extension.Status.APPROVED), "action_item__owner_id"),
    )
    notices = _notices(f)
    add("supervised", _counts(notices, "owner_id"))
    add("supervision_late", _counts(notices.filter(_late_notice(today)), "owner_id"))
    durations = _median_days(_completed(f), "created_at", "completed_at", by="owner_id")
    per.update({owner: per[owner] for owner in durations})
    per.pop(None, None)
    organisations = Organisation.objects.filter(pk__in=list(per), kind__in=ASSIGNEE_KINDS)
    rows = []
    for pk, name, kind in organisations.values_list("pk", "name", "kind"):
        counts = per[pk]
        rows.append(
            {
                "organisation": pk,
                "name": name,
                "kind": kind,
                **{c: counts.get(c, 0) for c in LEAGUE_COLUMNS[:9]},
                "median_days": durations.get(pk),
                "response_items": rate(*sign_split.get(pk, (0, 0))),
                "on_time": rate(*done_split.get(pk, (0, 0))),
            }
        )
    return sort_league(rows, "overdue_now", descending=True)


def sort_league(rows: list[dict], column: str, *, descending: bool) -> list[dict]:
    """Rows by a column (rates by their percentage; missing values last), then by name."""

    def value(row):
        v = row.get(column)
        if isinstance(v, dict):
            v = v["percent"]
        return v

    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    present.sort(key=lambda r: r["name"])
    present.sort(key=value, reverse=descending)
    missing.sort(key=lambda r: r["name"])
    return present + missing


def officers(f: Filters, organisation: int) -> list[dict]:
    """A bureau's items assigned in the period by the officer who signed for them (经办人);
    the ones nobody signed yet under None."""
    today = timesource.today()
    rows = (
        items(f)
        .filter(owner_id=organisation)
        .filter(_in_period("created_at", f))
        .annotate(signer=_first_signer())
        .values_list("signer", "status", "due_date", "completed_at")
    )
    per = defaultdict(lambda: {"received": 0, "completed": 0, "completed_on_time": 0, "overdue": 0})
    for signer, status, due, done in rows:
        row = per[signer]
        row["received"] += 1
        if status == ActionItem.Status.DONE and done is not None:
            row["completed"] += 1
            row["completed_on_time"] += _local_date(done) <= due
        elif status not in ActionItem.CLOSED_STATES and due < today:
            row["overdue"] += 1
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=[k for k in per if k])}
    result = [{"officer": pk, "name": people.get(pk, ""), **row} for pk, row in per.items() if pk]
    result.sort(key=lambda r: (-r["received"], r["name"]))
    if None in per:
        result.append({"officer": None, "name": "", **per[None]})
    return result


REGISTER_STATES = ["answered", "late", "open"]


def register(f: Filters, state: str | None = None):
    """督办台账: the supervision notices issued in the period, newest first, each with its item,
    department, answer deadline and status (answered, late — past the deadline unanswered —, or
    open), and whether an answer came late."""
    today = timesource.today()
    notices = _notices(f).select_related("action_item", "owner", "case", "issued_by")
    if state == "answered":
        notices = notices.filter(status=SupervisionNotice.Status.ANSWERED)
    elif state == "late":
        notices = notices.filter(status=SupervisionNotice.Status.ISSUED, answer_due__lt=today)
    elif state == "open":
        notices = notices.filter(status=SupervisionNotice.Status.ISSUED, answer_due__gte=today)
    return notices.order_by("-created_at", "-id")


def register_state(notice, today=None) -> str:
    today = today or timesource.today()
    if notice.status == SupervisionNotice.Status.ANSWERED:
        return "answered"
    return "late" if notice.answer_due < today else "open"


def answered_late(notice) -> bool:
    return (
        notice.status == SupervisionNotice.Status.ANSWERED
        and notice.answered_at is not None
        and _local_date(notice.answered_at) > notice.answer_due
    )


def unsupervised_overdue(f: Filters, limit: int = 20):
    """Overdue items with no unanswered notice: what the office may supervise from the register,
    the longest overdue first."""
    waiting = SupervisionNotice.objects.filter(
        action_item_id=OuterRef("pk"), status=SupervisionNotice.Status.ISSUED
    )
    return (
        items(f)
        .overdue()
        .filter(~Exists(waiting))
        .select_related("owner", "case")
        .order_by("due_date", "id")[:limit]
    )
