"""Every list runs the same small number of queries whatever the page size (1 or 50)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from workflow.casefile.contributions import comment_add
from workflow.items import services as action_items

MAX_QUERIES = 6


@pytest.fixture
def busy_office(enterprise_user, coordinator, department_officer, zigui_org, zhujian_org):
    """60 worked cases, each with two action items, an event trail and comments."""
    for n in range(60):
        case = factories.assigned_case(
            enterprise_user, coordinator, zigui_org, zhujian_org, title=f"诉求 {n}"
        )
        action_items.action_item_sign(
            item=case.action_items.get(owner=zigui_org), by=department_officer
        )
        comment_add(case=case, by=coordinator, body=f"留言 {n}")
    return case


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    assert response.json()["results"], url
    return len(queries)


@pytest.mark.parametrize(
    "persona,path",
    [
        ("coordinator", "/api/v1/cases/"),
        ("enterprise_user", "/api/v1/cases/"),
        ("department_officer", "/api/v1/cases/"),
        ("coordinator", "/api/v1/cases/?q=诉求"),
        ("department_officer", "/api/v1/action-items/"),
        ("coordinator", "/api/v1/cases/{case}/events/"),
        ("coordinator", "/api/v1/cases/{case}/comments/"),
        ("department_officer", "/api/v1/notifications/"),
        ("coordinator", "/api/v1/organisations/"),
        ("coordinator", "/api/v1/categories/"),
    ],
)
def test_list_query_count_does_not_grow_with_the_page_size(
    request, api, busy_office, persona, path
):
    client = api.as_user(request.getfixturevalue(persona))
    url = path.format(case=busy_office.pk)
    joiner = "&" if "?" in url else "?"
    count_queries(client, url)  # warm caches (content types, sessions) first

    one = count_queries(client, f"{url}{joiner}page_size=1")
    fifty = count_queries(client, f"{url}{joiner}page_size=50")

    print(f"{persona} {path}: {one} queries at page size 1, {fifty} at 50")
    assert one == fifty
    assert fifty <= MAX_QUERIES
