"""The Open311 list and the case list by source channel are served by indexes (PostgreSQL), on
the volume of tests/test_query_plans.py with a tenth of its cases public."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from tests.test_query_plans import api_client, problems_in, volume  # noqa: F401  (fixture)
from workflow.interchange.models import PublicRequest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

OPEN311 = [
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml?status=open",
    "/open311/v2/requests.json?status=closed",
    "/open311/v2/requests.json?service_code=municipal_works",
    "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z",
]
TABLES = ("cases_case", "workflow_publicrequest", "workflow_actionitem", "workflow_clock")


def problems(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    found = []
    for query in queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and any(table in sql for table in TABLES):
            found += [f"{url}: {p}\n  {sql[:300]}" for p in problems_in(sql)]
            if "Seq Scan on workflow_publicrequest" in explain(sql):
                found.append(f"{url}: reads all of workflow_publicrequest")
    return found


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def public(volume):  # noqa: F811
    PublicRequest.objects.bulk_create(
        PublicRequest(
            case=case,
            origin="published",
            requested_at=case.created_at,
            service_code="municipal_works",
        )
        for case in volume[::10]
    )
    Case.objects.filter(pk__in=[c.pk for c in volume[::7]]).update(source_channel="hotline_12345")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return volume


def test_the_open311_list_is_served_by_indexes(public, client):
    found = []
    for url in OPEN311:
        found += problems(client, url)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("persona", ["coordinator", "enterprise_user", "department_officer"])
def test_the_case_list_by_source_channel_is_served_by_indexes(request, public, client, persona):
    user = request.getfixturevalue(persona)
    found = problems(api_client(user), "/api/v1/cases/?source_channel=hotline_12345")
    client.force_login(user)
    found += problems(client, "/cases/?tab=all&channel=hotline_12345")
    assert not found, "\n".join(found)
