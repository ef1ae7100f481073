"""The search across everything a person may see (站内搜索): each type found by its text,
nothing across an enterprise's boundary or a department's limits, paged at a fixed cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.precedent_cases import deliberated_case
from workflow.implementation import services as rules

TYPES = ["case", "action_item", "session", "resolution", "rule"]


@pytest.fixture
def world(
    enterprise_user,
    other_enterprise_user,
    coordinator,
    department_officer,
    other_department_officer,
    zigui_org,
    zhujian_org,
):
    """One enterprise's case handled by 资规局 through a session, with a rule drafted; another
    enterprise's case assigned to 住建局. Every text holds 迁改."""
    ours = deliberated_case(
        enterprise_user, coordinator, department_officer, title="自来水主管迁改协调"
    )
    rules.rule_item_add(
        case=ours,
        by=coordinator,
        title="出具迁改规划许可",
        owner=zigui_org,
        due_date=factories.due_in(9),
    )
    theirs = factories.assigned_case(
        other_enterprise_user, coordinator, zhujian_org, title="燃气管道迁改审批"
    )
    theirs.action_items.update(title="迁改施工许可")
    return {"ours": ours, "theirs": theirs}


def hits(api, user, q, kind):
    response = api.as_user(user).get("/api/v1/search/", {"q": q, "type": kind})
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.django_db
def test_the_office_finds_every_type(api, coordinator, world):
    found = {kind: hits(api, coordinator, "迁改", kind) for kind in TYPES}
    assert {h["case"]["id"] for h in found["case"]} == {world["ours"].pk, world["theirs"].pk}
    assert {h["title"] for h in found["action_item"]} == {"迁改施工许可"}
    assert hits(api, coordinator, "审联体", "session")[0]["case"]["id"] == world["ours"].pk
    assert hits(api, coordinator, "依法实施", "resolution")[0]["case"]["id"] == world["ours"].pk
    assert found["rule"][0]["title"] == "1. 出具迁改规划许可"
    assert found["rule"][0]["url"].endswith(f"/cases/{world['ours'].pk}/#rules-h")


@pytest.mark.django_db
def test_an_enterprise_finds_nothing_of_another_enterprise(
    api, enterprise_user, other_enterprise_user, world
):
    for user, mine, other in (
        (enterprise_user, world["ours"], world["theirs"]),
        (other_enterprise_user, world["theirs"], world["ours"]),
    ):
        for kind in TYPES:
            case_ids = {h["case"]["id"] for h in hits(api, user, "迁改", kind) if h["case"]}
            assert other.pk not in case_ids, (user, kind)
        assert {h["id"] for h in hits(api, user, "迁改", "case")} == {mine.pk}


@pytest.mark.django_db
def test_a_department_finds_only_what_it_works_on(
    api, department_officer, other_department_officer, world
):
    assert {h["id"] for h in hits(api, department_officer, "迁改", "case")} == {world["ours"].pk}
    assert hits(api, department_officer, "迁改", "action_item") == []
    assert [h["title"] for h in hits(api, other_department_officer, "迁改", "action_item")] == [
        "迁改施工许可"
    ]
    for kind in ("case", "session", "resolution", "rule"):
        found = {h["case"]["id"] for h in hits(api, other_department_officer, "迁改", kind)}
        assert world["ours"].pk not in found, kind


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params,field", [({}, "q"), ({"q": "迁改", "type": "user"}, "type"), ({"q": "x" * 101}, "q")]
)
def test_a_bad_search_is_a_400_naming_the_field(api, coordinator, params, field):
    response = api.as_user(coordinator).get("/api/v1/search/", params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_anonymous_may_not_search(api):
    assert api.get("/api/v1/search/", {"q": "迁改"}).status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", TYPES)
def test_a_page_of_hits_costs_the_same_queries_at_any_size(api, coordinator, world, kind):
    api.as_user(coordinator)

    def count(size):
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/search/", {"q": "迁", "type": kind, "page_size": size})
            assert response.status_code == 200
        return len(queries)

    assert count(1) == count(50)


@pytest.mark.django_db
def test_the_header_box_leads_to_a_page_of_every_type(as_user, coordinator, enterprise_user, world):
    html = as_user(coordinator).get("/search/", {"q": "迁改"}).content.decode()
    assert 'id="site-q"' in html
    assert (
        "自来水主管迁改协调" in html and "燃气管道迁改审批" in html and "出具迁改规划许可" in html
    )
    html = as_user(enterprise_user).get("/search/", {"q": "迁改"}).content.decode()
    assert "自来水主管迁改协调" in html and "燃气管道迁改审批" not in html
    page = as_user(coordinator).get("/search/", {"q": "迁改", "type": "case", "page": "x"})
    assert page.status_code == 200 and "燃气管道迁改审批" in page.content.decode()


@pytest.mark.django_db
def test_a_search_of_nothing_searches_nothing(as_user, coordinator, world):
    html = as_user(coordinator).get("/search/", {"q": " \x00 "}).content.decode()
    assert "输入关键词" in html
