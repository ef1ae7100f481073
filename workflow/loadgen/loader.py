"""``seed_load``: a city's years of cases for load tests, written straight into the tables.

What a load holds, for N cases (shares in ``lifecycles.STATE_SHARES``):

- the office, 26 departments and 8 third parties (the demo's names where they overlap), N / 200
  enterprises (at least 10) across the 专精特新 tiers, their members (coordinators, officers
  and leaders, 1–3 users per enterprise) and 20 representatives; every password is the demo's;
- N cases filed over the three years before today: most closed, the open ones in every state;
  about three events, one action item, one involvement and three clocks per case (about 8 % of
  the cases hold an open clock: 75,000–80,000 at a million), joint sessions with participants,
  opinions and resolutions for the cases convening or past a session (about 4 %), and
  implementation rules for the cases implemented under them. No notifications.

Deterministic: the same N, seed and today (``SHENLIANTI_TODAY`` pins it) give the same rows on
a fresh database. Working days use the real holiday calendar (see ``calendar.DayTable``).

A database that already holds cases is refused unless ``force``; with ``force`` the load
appends: organisations and people are reused by name, new cases get ids after the existing
ones (their references derive from the id, so they stay unique up to 16.7 million ids), and
nothing is ever deleted or changed.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max

from cases.categories import INITIAL_CATEGORIES
from cases.models import Case, CaseAccess, CaseInvolvement, Category
from config import timesource
from workflow.deadlines.models import Clock
from workflow.implementation.models import RuleItem
from workflow.items.models import ActionItem
from workflow.loadgen.calendar import DayTable
from workflow.loadgen.lifecycles import (
    COLUMNS,
    DAY,
    FILED_DAYS_AGO,
    OFFICE_HOURS,
    OFFICE_OPENS,
    STATES,
    Lifecycles,
    state_counts,
)
from workflow.loadgen.people import build_directory
from workflow.loadgen.writer import Writer
from workflow.record.models import Event
from workflow.sessions.models import JointSession, Opinion, Resolution, SessionParticipant

YEARS = 3
CHUNK = 20_000  # cases generated and written at a time: bounds the memory the rows take

# Parents before children, the order in which the rows of one chunk are written.
MODELS = {
    "case": Case,
    "session": JointSession,
    "participant": SessionParticipant,
    "opinion": Opinion,
    "resolution": Resolution,
    "resolution_owner": Resolution.responsible_organisations.through,
    "item": ActionItem,
    "rule_item": RuleItem,
    "event": Event,
    "involvement": CaseInvolvement,
    "clock": Clock,
}


# Who sees the loaded cases through their involvements, as `sync_case_access` keeps it: one row
# per organisation or person and case (the loader writes organisations' involvements only).
ACCESS_FROM_INVOLVEMENTS = """
INSERT INTO cases_caseaccess (case_id, organisation_id, person_id, case_created_at)
SELECT DISTINCT case_id, organisation_id, person_id, case_created_at
FROM cases_caseinvolvement WHERE case_id >= %s
"""


class LoadRefused(Exception):
    """The database already holds cases and the caller did not say --force."""


def _filing_plan(rng, cases, today):
    """When each case was filed and the state it is in today, in filing order.

    Ids then follow filing order, as they would in a live system."""
    plan = []
    for code, state in enumerate(STATES):
        low, high = FILED_DAYS_AGO[state]
        for _ in range(state_counts(cases)[state]):
            day = today - rng.randint(low, high)
            filed_at = day * DAY + OFFICE_OPENS + int(rng.random() * OFFICE_HOURS)
            plan.append(filed_at * 16 + code)  # one int sorts faster than a tuple
    plan.sort()
    return plan


def _categories():
    """The active categories with their limits; a database without any (flushed, as a test's
    may be) gets the initial ones its migration would have added."""
    active = Category.objects.filter(is_active=True).order_by("id")
    if not active.exists():
        for position, (code, name, name_en) in enumerate(INITIAL_CATEGORIES):
            Category.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "position": position}
            )
    return [(c.id, c.code, {f: getattr(c, f) for f in LIMIT_FIELDS}) for c in active]


def _first_ids():
    return {
        table: (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        for table, model in MODELS.items()
    }


def seed_load(*, cases: int, seed: int = 1, force: bool = False, log=print) -> dict[str, int]:
    """Load ``cases`` cases with everything around them; returns the rows written per table."""
    if cases < len(STATES):
        raise ValueError(f"--cases must be at least {len(STATES)} to hold every state.")
    if Case.objects.exists() and not force:
        raise LoadRefused(
            "The database already holds cases. Load into a fresh database, or pass --force "
            "to append (nothing is deleted)."
        )
    started = time.monotonic()
    today = timesource.today()
    days = DayTable(today - timedelta(days=366 * YEARS + 15), today + timedelta(days=150))
    today_offset = days.offset(today)
    rng = random.Random(seed)
    writer = Writer(connection)
    with transaction.atomic():
        joined = datetime.combine(days.first, datetime.min.time(), tzinfo=UTC)
        directory = build_directory(cases, joined)
        log(
            f"organisations and people: {len(directory.enterprises)} enterprises, "
            f"{len(directory.owners)} departments and third parties "
            f"({time.monotonic() - started:.1f} s)"
        )
        categories = _categories()
        lifecycles = Lifecycles(
            rng=rng,
            days=days,
            today_offset=today_offset,
            directory=directory,
            categories=categories,
            first_ids=_first_ids(),
        )
        first_case = lifecycles.next_id["case"]
        tables = [*MODELS.values(), CaseAccess]
        keys = writer.drop_foreign_keys(tables)
        indexes = writer.drop_indexes(tables)
        plan = _filing_plan(rng, cases, today_offset)
        generating = 0.0
        for start in range(0, len(plan), CHUNK):
            tick = time.monotonic()
            for key in plan[start : start + CHUNK]:
                lifecycles.case(key >> 4, STATES[key & 15])
            generating += time.monotonic() - tick
            for table, model in MODELS.items():
                writer.write(model, COLUMNS[table], lifecycles.rows[table])
                lifecycles.rows[table].clear()
            done = min(start + CHUNK, len(plan))
            log(f"  {done:>9,} / {cases:,} cases  ({time.monotonic() - started:.0f} s)")
        tick = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(ACCESS_FROM_INVOLVEMENTS, [first_case])
        writer.seconds[CaseAccess._meta.db_table] += time.monotonic() - tick
        writer.restore_indexes(indexes)
        writer.restore_foreign_keys(keys)
        writer.reset_sequences(tables)
        writer.analyze(tables)
    log(f"generating rows (Python): {generating:.1f} s")
    for table, seconds in writer.seconds.items():
        count = writer.counts.get(table)
        rows = f"{count:>11,} rows  " if count is not None else " " * 18
        log(f"{table:<42} {rows}{seconds:7.1f} s")
    log(f"total: {time.monotonic() - started:.1f} s")
    return {table: writer.counts[model._meta.db_table] for table, model in MODELS.items()}


LIMIT_FIELDS = ["accept_days", "convene_days", "rules_days", "confirm_days"]
