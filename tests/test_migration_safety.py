"""New migrations keep the site serving on a city's data (docs/upgrades.md).

Each migration from the numbers below on is turned into its SQL (`sqlmigrate`, PostgreSQL)
and refused when it would hold a lock on a large table for long: an index built without
CONCURRENTLY, a constraint validated in place, a column's type changed or set NOT NULL, rows
updated or deleted, or Python run over the rows. A migration that must do one of these says
why in `safe_on_large_tables` (and the upgrade note says when to run it).
"""

import re

import pytest
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

# Tables with a row or more per case: 1,000,000 cases make millions of rows (docs/performance.md).
LARGE_TABLES = {
    "cases_case",
    "cases_caseinvolvement",
    "cases_caseaccess",
    "cases_attachment",
    "cases_comment",
    "workflow_event",
    "workflow_clock",
    "workflow_actionitem",
    "workflow_notification",
    "workflow_sessionparticipant",
    "workflow_opinion",
}
# The first migration of each app held to the rules; earlier ones were reviewed when they landed.
CHECKED_FROM = {"cases": 11, "departments": 3, "workflow": 15}

LOCKING = [
    (
        re.compile(r'CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)"?\w+"? ON "(?P<table>\w+)"'),
        "builds an index without CONCURRENTLY (use AddIndexWithoutLocking)",
    ),
    (
        re.compile(r'ALTER TABLE "(?P<table>\w+)" ADD CONSTRAINT (?!.*NOT VALID)'),
        "validates a constraint while holding the table",
    ),
    (
        re.compile(r'ALTER TABLE "(?P<table>\w+)" ALTER COLUMN "\w+" (SET DATA )?TYPE'),
        "changes a column's type (rewrites the table)",
    ),
    (
        re.compile(r'ALTER TABLE "(?P<table>\w+)" ALTER COLUMN "\w+" SET NOT NULL'),
        "sets NOT NULL (reads every row under lock)",
    ),
    (
        re.compile(r'^\s*(UPDATE|DELETE FROM) "(?P<table>\w+)"', re.MULTILINE),
        "updates or deletes rows in one statement",
    ),
]


def _checked_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        first = CHECKED_FROM.get(app)
        if first is not None and int(name[:4]) >= first:
            yield app, name, migration


def _problems(app, name, migration, capsys) -> list[str]:
    call_command("sqlmigrate", app, name)
    sql = capsys.readouterr().out
    problems = [
        f"{reason}: {match.group('table')}"
        for pattern, reason in LOCKING
        for match in pattern.finditer(sql)
        if match.group("table") in LARGE_TABLES
    ]
    if "-- Raw Python operation" in sql:
        problems.append("runs Python over rows (RunPython)")
    return problems


# Outside a test transaction: `sqlmigrate` refuses a non-atomic migration inside one.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_new_migrations_do_not_lock_large_tables(capsys):
    refused = {}
    for app, name, migration in _checked_migrations():
        problems = _problems(app, name, migration, capsys)
        if problems and not getattr(migration, "safe_on_large_tables", ""):
            refused[f"{app}.{name}"] = problems
    assert refused == {}, "see docs/upgrades.md"


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_check_catches_a_plain_index_on_a_large_table(capsys):
    # workflow 0011 built its indexes on the action items the plain way, before this check.
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migration = loader.disk_migrations[("workflow", "0011_open_item_indexes")]
    problems = _problems("workflow", "0011_open_item_indexes", migration, capsys)
    assert problems and all("workflow_actionitem" in problem for problem in problems)
    assert problems[0].startswith("builds an index without CONCURRENTLY")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_index_built_without_locking_is_built_and_removed():
    from django.db import connection, models
    from django.db.migrations.executor import MigrationExecutor

    from config.migration_operations import AddIndexWithoutLocking

    executor = MigrationExecutor(connection)
    before = executor.loader.project_state(executor.loader.graph.leaf_nodes())
    operation = AddIndexWithoutLocking(
        "event", models.Index(fields=["kind", "created_at"], name="event_kind_time_probe")
    )
    after = before.clone()
    operation.state_forwards("workflow", after)

    def indexes():
        with connection.cursor() as cursor:
            return connection.introspection.get_constraints(cursor, "workflow_event")

    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("workflow", editor, before, after)
    assert "event_kind_time_probe" in indexes()
    with connection.schema_editor(atomic=False) as editor:
        operation.database_backwards("workflow", editor, after, before)
    assert "event_kind_time_probe" not in indexes()
