"""Every list and lookup can be served by an index (PostgreSQL).

Query counts cannot see a query that reads the whole table. Here each page and endpoint runs on
a few thousand rows; every query it makes is planned again with sequential scans priced out
(`enable_seqscan = off`), so a plan that still scans the case, item, event, clock or
involvement table sequentially has no index to serve it. A list that groups or de-duplicates
every visible row before its LIMIT is refused too: that is the cost that grows with the table.
(Small tables let the planner walk a whole index where a million rows would not; the
benchmarks and docs/performance.md read the plans at 1,000,000 cases.)
"""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Case, CaseAccess, CaseInvolvement, sync_case_access
from tests import factories
from workflow.deadlines.models import Clock
from workflow.items.models import ActionItem
from workflow.record.models import Event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BIG_TABLES = {
    "cases_case",
    "cases_caseinvolvement",
    "cases_caseaccess",
    "workflow_actionitem",
    "workflow_event",
    "workflow_clock",
}
CASES = 3000
ROW_SETS = ("Aggregate", "Unique", "SetOp")


@pytest.fixture
def volume(coordinator, enterprise_user, department_officer, zhujian_org, category):
    """3,000 cases; the enterprise has 1 % of them, the department items in a third."""
    enterprises = [enterprise_user.organisation] + [
        factories.enterprise(f"企业{n}") for n in range(29)
    ]
    owners = [department_officer.organisation, zhujian_org, zhujian_org]
    statuses = ["closed"] * 3 + ["submitted", "accepted", "implementing", "resolved"]
    now = timezone.now()
    cases = Case.objects.bulk_create(
        Case(
            reference=f"VOL-{n:08d}",
            title=f"管网迁改 {n}",
            description=f"项目周边市政配套滞后 {n}",
            category=category,
            enterprise=enterprises[0 if n % 100 == 0 else 1 + n % 29],
            filed_by=enterprise_user,
            status=statuses[n % len(statuses)],
            created_at=now - datetime.timedelta(hours=CASES - n),
            updated_at=now - datetime.timedelta(hours=CASES - n),
        )
        for n in range(CASES)
    )
    items = ActionItem.objects.bulk_create(
        ActionItem(
            case=case,
            owner=owners[n % len(owners)],
            title="任务",
            due_date=(now + datetime.timedelta(days=n % 20 - 10)).date(),
            status="done" if case.status == "closed" else "signed",
            created_by=coordinator,
        )
        for n, case in enumerate(cases)
    )
    CaseInvolvement.objects.bulk_create(
        CaseInvolvement(
            case_id=item.case_id,
            organisation_id=item.owner_id,
            reason="action_item",
            case_created_at=item.case.created_at,
        )
        for item in items
    )
    CaseAccess.objects.bulk_create(
        CaseAccess(
            case_id=item.case_id,
            organisation_id=item.owner_id,
            case_created_at=item.case.created_at,
        )
        for item in items
    )
    Event.objects.bulk_create(
        Event(case=case, kind=kind, actor=coordinator, payload={})
        for case in cases
        for kind in ("created", "submit", "accept")
    )
    Clock.objects.bulk_create(
        Clock(
            kind="action_item",
            case_id=item.case_id,
            action_item=item,
            started=item.due_date - datetime.timedelta(days=10),
            due=item.due_date,
            limit_days=8,
        )
        for item in items
        if item.status != "done"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cases


def plan_nodes(node, parents=()):
    yield node, parents
    for child in node.get("Plans", []):
        yield from plan_nodes(child, (*parents, node))


def problems_in(sql: str, params=None) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    found = []
    for node, parents in plan_nodes(plan[0]["Plan"]):
        if node["Node Type"] == "Seq Scan" and node["Relation Name"] in BIG_TABLES:
            found.append(f"reads all of {node['Relation Name']}")
        # A row set built whole under the list's LIMIT: grouped or de-duplicated before the cut.
        on_the_list_path = [p["Node Type"] for p in parents]
        if (
            node["Node Type"] in ROW_SETS
            and on_the_list_path[:1] == ["Limit"]
            and set(on_the_list_path[1:]) <= {"Sort", "Incremental Sort", "Unique"}
        ):
            found.append(f"{node['Node Type']} over every row before the LIMIT")
    return found


def check(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    problems = []
    for query in queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and any(table in sql for table in BIG_TABLES):
            problems += [f"{url}: {problem}\n  {sql[:300]}" for problem in problems_in(sql)]
    return problems


def api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_client(user, client):
    client.force_login(user)
    return client


API_LISTS = [
    "/api/v1/cases/",
    "/api/v1/cases/?status=submitted",
    "/api/v1/cases/?status=implementing&status=resolved",
    "/api/v1/cases/?q=管网迁改",
    "/api/v1/cases/?q=VOL-00000123",
    "/api/v1/cases/?overdue=true",
    "/api/v1/cases/?due_within=5",
    "/api/v1/action-items/",
    "/api/v1/action-items/?overdue=true",
]
PAGES = [
    "/",
    "/cases/",
    "/cases/?tab=all",
    "/cases/?tab=all&q=管网迁改",
    "/items/",
    "/items/?tab=overdue",
]


@pytest.mark.parametrize("persona", ["coordinator", "enterprise_user", "department_officer"])
def test_lists_are_served_by_indexes(request, volume, client, persona):
    user = request.getfixturevalue(persona)
    problems = []
    for url in API_LISTS:
        problems += check(api_client(user), url)
    for url in PAGES:
        problems += check(page_client(user, client), url)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", ["deputy", "department_officer", "enterprise_user"])
def test_lists_of_a_person_with_access_of_their_own_are_served_by_indexes(request, volume, persona):
    """The other paths of `Case.objects.listed_for`: a person without an organisation reads
    their own access range; a member of an organisation who also has access as a person, and
    an enterprise with access to another's case, read the EXISTS and the union instead."""
    if persona == "deputy":
        user = factories.user("deputy", None, representative_capacity="npc_deputy")
    else:
        user = request.getfixturevalue(persona)
    others = [c for c in volume if c.enterprise_id != user.organisation_id][-60::3]
    for case in others:
        CaseInvolvement.objects.create(case=case, person=user, reason="session")
        sync_case_access(case)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    problems = []
    for url in API_LISTS:
        problems += check(api_client(user), url)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", ["coordinator", "enterprise_user", "department_officer"])
def test_lookups_are_served_by_indexes(request, volume, client, persona, enterprise_user):
    user = request.getfixturevalue(persona)
    case = next(
        c
        for c in reversed(volume)
        if c.enterprise_id == enterprise_user.organisation_id and c.status == "implementing"
    )
    item = case.action_items.get()
    urls = [
        f"/api/v1/cases/{case.pk}/",
        f"/api/v1/cases/{case.pk}/events/",
        f"/api/v1/cases/{case.pk}/comments/",
        f"/api/v1/action-items/{item.pk}/",
        f"/api/v1/action-items/{item.pk}/transitions/",
        f"/api/v1/action-items/{item.pk}/extensions/",
    ]
    pages = [f"/cases/{case.pk}/", f"/items/{item.pk}/"]
    if persona == "department_officer" and item.owner_id != user.organisation_id:
        urls, pages = urls[:3], pages[:1]
    if persona == "department_officer":
        # Another bureau's item on a case this bureau is involved in: found through the same
        # rule (ActionItem.objects.visible_to), served by indexes too.
        other = ActionItem.objects.exclude(owner=user.organisation).filter(case__status="accepted")
        other = other.order_by("-id").first()
        CaseInvolvement.objects.create(
            case_id=other.case_id, organisation=user.organisation, reason="session"
        )
        sync_case_access(other.case)
        urls += [
            f"/api/v1/action-items/{other.pk}/",
            f"/api/v1/action-items/{other.pk}/transitions/",
        ]
        pages += [f"/items/{other.pk}/"]
    problems = []
    for url in urls:
        problems += check(api_client(user), url)
    for url in pages:
        problems += check(page_client(user, client), url)
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_query_no_index_serves(volume):
    """The detector itself: a filter on an unindexed column reads the whole case table."""
    sql, params = Case.objects.filter(location="海曙区").order_by().query.sql_with_params()

    assert problems_in(sql, params) == ["reads all of cases_case"]


def test_the_check_finds_counting_before_the_limit(volume):
    from django.db.models import Count

    counted = Case.objects.annotate(n=Count("action_items")).order_by("-created_at", "-id")[:21]
    sql, params = counted.query.sql_with_params()

    assert any("before the LIMIT" in problem for problem in problems_in(sql, params))
