"""The record is tamper-proof at the database: on PostgreSQL, raw SQL cannot rewrite or erase
events, opinions, resolutions or rule amendments (workflow/migrations/0016_harden_access.py).
On SQLite the models' Python guards refuse (tests/test_event_log.py)."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests import factories
from workflow.implementation.models import RuleAmendment
from workflow.implementation.services import rule_item_add, rule_item_update
from workflow.record.models import Event
from workflow.sessions import services as sessions
from workflow.sessions.models import Opinion, Resolution

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TABLES = {
    "workflow_event": Event,
    "workflow_opinion": Opinion,
    "workflow_resolution": Resolution,
    "workflow_ruleamendment": RuleAmendment,
}


@pytest.fixture
def record(coordinator, enterprise_user, zigui_org, department_officer, category):
    """A case walked to its rules, amended once: a row in each record table."""
    from workflow.casefile import services as case_services
    from workflow.sessions import opinions, participants

    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    session = factories.session(case, coordinator)
    part = participants.participant_invite(
        session=session, by=coordinator, capacity="department", organisation=zigui_org
    )
    sessions.session_notify(session=session, by=coordinator)
    factories.meeting_time_comes(session)
    sessions.session_start(session=session, by=coordinator)
    opinions.opinion_record(
        participant=part, by=department_officer, stance="support", reasons="同意"
    )
    sessions.session_conclude(
        session=session,
        by=coordinator,
        summary="资规局审批实施",
        legal_basis="《城乡规划法》第四十条",
        responsible_organisations=[zigui_org],
    )
    rule = rule_item_add(
        case=case, by=coordinator, title="规划审批", owner=zigui_org, due_date=factories.due_in(9)
    )
    factories.issue_rules(case, by=coordinator)  # submitted, then signed off by the leader
    rule.refresh_from_db()
    rule_item_update(item=rule, by=coordinator, reason="测绘延误", due_date=factories.due_in(12))
    for model in TABLES.values():
        assert model.objects.exists(), model
    return case


def refused(sql: str) -> str:
    """Run `sql` in a savepoint; the database's refusal, or "" when it went through."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL shenlianti.record_maintenance = 'off'")
            # The test's own inserts leave deferred key checks, which TRUNCATE would trip on.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql)
    except DatabaseError as error:
        return str(error)
    return ""


@pytest.mark.parametrize("table", TABLES)
def test_raw_sql_cannot_update_delete_or_truncate_the_record(record, table):
    model = TABLES[table]
    before = list(model.objects.order_by("pk").values())
    column = {"workflow_event": "kind", "workflow_opinion": "reasons"}.get(table)
    column = column or {"workflow_resolution": "summary"}.get(table, "reason")
    assert "append-only" in refused(f"UPDATE {table} SET {column} = 'forged'")
    assert "append-only" in refused(f"DELETE FROM {table}")
    assert "append-only" in refused(f"TRUNCATE {table} CASCADE")
    assert list(model.objects.order_by("pk").values()) == before


def test_an_event_row_is_refused_one_by_one(record):
    """The row the issue names: a raw UPDATE of one event, then a DELETE of it."""
    event = Event.objects.filter(case=record).first()
    forge = f"UPDATE workflow_event SET kind = 'forged' WHERE id = {event.pk}"
    assert "append-only" in refused(forge)
    assert "append-only" in refused(f"DELETE FROM workflow_event WHERE id = {event.pk}")
    assert Event.objects.get(pk=event.pk).kind == event.kind


def test_only_the_owner_in_a_maintenance_session_may_truncate(record):
    """What the test suite's flush relies on: the owner, with the setting on, empties a table
    (rolled back here); without the setting, the same statement is refused."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL shenlianti.record_maintenance = 'on'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE workflow_ruleamendment")
        assert not RuleAmendment.objects.exists()
        transaction.set_rollback(True)
    assert RuleAmendment.objects.exists()
    assert "append-only" in refused("TRUNCATE workflow_ruleamendment")


def test_appending_still_works_and_the_services_write_nothing_else(record, coordinator):
    """The services only ever insert into the record tables: a whole walk above went through,
    and another comment is one more event."""
    from workflow.casefile.contributions import comment_add

    count = Event.objects.count()
    comment_add(case=record, by=coordinator, body="已督促")
    assert Event.objects.count() == count + 1
