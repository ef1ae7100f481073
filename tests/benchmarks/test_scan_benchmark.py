"""Benchmarks of the time-limit scan: 300 cases made through the services, and a city's volume.

Run explicitly (not part of the suite), on PostgreSQL for figures that mean something:
    .venv/bin/python -m pytest tests/benchmarks/test_scan_benchmark.py -s
    SCAN_BENCH_CLOCKS=75000 DATABASE_URL=postgres://… .venv/bin/python -m pytest \
        tests/benchmarks/test_scan_benchmark.py -s -k volume

They print figures; they assert only that the scan did its work, never how long it took.
"""

import datetime
import os
import random
import time

import pytest
from django.db import connection

from cases.models import Case
from tests import factories
from workflow.deadlines.models import Clock
from workflow.deadlines.scan import scan_time_limits
from workflow.deadlines.working_days import WorkingCalendar
from workflow.items.models import ActionItem
from workflow.notifications.models import Notification

CASES = 300

# 1,000,000 cases leave about 75,000 clocks open (issue 12).
VOLUME_CLOCKS = int(os.environ.get("SCAN_BENCH_CLOCKS", "75000"))
TODAY = datetime.date(2026, 11, 30)

# Clock kind -> (share of the open clocks, the case's state while it runs, limits in working days).
MIX = {
    Clock.Kind.ACCEPT: (0.10, Case.Status.SUBMITTED, [1]),
    Clock.Kind.CONVENE: (0.10, Case.Status.CONVENING, [5]),
    Clock.Kind.ISSUE_RULES: (0.05, Case.Status.DELIBERATED, [3]),
    Clock.Kind.ACTION_ITEM: (0.70, Case.Status.IMPLEMENTING, [5, 10, 20, 30, 60]),
    Clock.Kind.CONFIRM: (0.05, Case.Status.RESOLVED, [7]),
}


def timed_scan():
    """One scan: its result, seconds and number of SQL statements."""
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = scan_time_limits()
        seconds = time.perf_counter() - started
    return result, seconds, queries


@pytest.mark.django_db
def test_scan_300_cases(settings, monkeypatch, enterprise_user, coordinator, category):
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)
    settings.SHENLIANTI_TODAY = "2026-11-20"
    for _ in range(CASES):
        factories.case(enterprise_user, category=category)
    settings.SHENLIANTI_TODAY = "2026-11-24"  # every accept clock is now red

    started = time.perf_counter()
    first = scan_time_limits()
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    again = scan_time_limits()
    again_s = time.perf_counter() - started

    assert (first.red, again.red) == (CASES, 0)
    assert Notification.objects.filter(kind="deadline").count() == CASES
    print(f"\nscan of {CASES} cases: first {first_s * 1000:.0f} ms, rescan {again_s * 1000:.0f} ms")


def load_open_clocks(count, *, enterprise_user, coordinator, owner, category):
    """``count`` open clocks, one case each, written in bulk as a data loader would.

    Clocks started over the past year (long-running action items included), none warned yet:
    the first scan catches up with all of them, the second has nothing to do.
    """
    rng = random.Random(12)
    calendar = WorkingCalendar()
    kinds = list(MIX)
    weights = [MIX[kind][0] for kind in kinds]
    plan = []
    for number in range(count):
        kind = rng.choices(kinds, weights)[0]
        _, status, limits = MIX[kind]
        horizon = 20 if kind == Clock.Kind.CONFIRM else 365
        started = TODAY - datetime.timedelta(days=rng.randrange(horizon))
        limit = rng.choice(limits)
        plan.append((number, kind, status, started, limit))

    cases = Case.objects.bulk_create(
        [
            Case(
                reference=f"BENCH-{number:07d}",
                title="周边市政配套工程滞后",
                description="市政配套工程滞后，影响项目综合验收。",
                category=category,
                enterprise_id=enterprise_user.organisation_id,
                filed_by=enterprise_user,
                status=status,
            )
            for number, _, status, _, _ in plan
        ],
        batch_size=5000,
    )
    items = {}
    item_rows = [
        (case, started, limit)
        for case, (_, kind, _, started, limit) in zip(cases, plan, strict=True)
        if kind == Clock.Kind.ACTION_ITEM
    ]
    created = ActionItem.objects.bulk_create(
        [
            ActionItem(
                case=case,
                owner=owner,
                title="规划审批",
                due_date=calendar.add_working_days(started, limit),
                created_by=coordinator,
            )
            for case, started, limit in item_rows
        ],
        batch_size=5000,
    )
    for item in created:
        items[item.case_id] = item
    Clock.objects.bulk_create(
        [
            Clock(
                kind=kind,
                case=case,
                action_item=items.get(case.pk),
                started=started,
                due=calendar.add_working_days(started, limit),
                limit_days=None if kind == Clock.Kind.ACTION_ITEM else limit,
            )
            for case, (_, kind, _, started, limit) in zip(cases, plan, strict=True)
        ],
        batch_size=5000,
    )


@pytest.mark.django_db
def test_scan_volume(
    settings,
    monkeypatch,
    enterprise_user,
    coordinator,
    department_officer,
    department_leader,
    zigui_org,
    category,
):
    """The scan over SCAN_BENCH_CLOCKS open clocks: the catch-up run, a rerun, the next day."""
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)
    settings.SHENLIANTI_TODAY = TODAY.isoformat()
    started = time.perf_counter()
    load_open_clocks(
        VOLUME_CLOCKS,
        enterprise_user=enterprise_user,
        coordinator=coordinator,
        owner=zigui_org,
        category=category,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"\n{VOLUME_CLOCKS} open clocks loaded in {time.perf_counter() - started:.1f} s")

    first, first_s, first_q = timed_scan()
    again, again_s, again_q = timed_scan()
    settings.SHENLIANTI_TODAY = (TODAY + datetime.timedelta(days=1)).isoformat()
    next_day, next_s, next_q = timed_scan()

    assert first.yellow + first.red + first.closed_unanswered > 0
    assert (again.yellow, again.red, again.closed_unanswered) == (0, 0, 0)
    for label, result, seconds, queries in [
        ("first (catch-up)", first, first_s, first_q),
        ("second, same day", again, again_s, again_q),
        ("next day", next_day, next_s, next_q),
    ]:
        print(
            f"scan {label}: {seconds:.2f} s, {queries} queries, checked {result.checked}, "
            f"yellow {result.yellow}, red {result.red}, closed {result.closed_unanswered}"
        )
