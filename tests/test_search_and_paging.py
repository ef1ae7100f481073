"""Finding a case by any words a clerk remembers, and lists that page without counting."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def titles(response):
    return sorted(case["title"] for case in response.json()["results"])


@pytest.fixture
def filed(enterprise_user, other_enterprise_user, category):
    """Cases of two enterprises, each findable by a different field."""
    factories.case(enterprise_user, category=category, title="供水管网迁改", description="……")
    factories.case(
        enterprise_user, category=category, title="道路接入", description="雨污管网需要接入市政"
    )
    factories.case(
        enterprise_user, category=category, title="验收卡住", project_name="甬江科创园二期"
    )
    factories.case(other_enterprise_user, category=category, title="电力接入", description="……")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("管网", ["供水管网迁改", "道路接入"]),  # two characters: title or description
        ("雨污管网", ["道路接入"]),
        ("甬江科创园", ["验收卡住"]),  # the project
        ("管网 迁改", ["供水管网迁改"]),  # every term must match
        ("不存在的词", []),
    ],
)
def test_the_coordinator_finds_cases_by_title_description_and_project(
    api, coordinator, filed, q, expected
):
    response = api.as_user(coordinator).get("/api/v1/cases/", {"q": q})

    assert response.status_code == 200
    assert titles(response) == expected


def test_a_case_is_found_by_its_enterprise_name_and_reference(
    api, coordinator, other_enterprise_user, filed
):
    other = other_enterprise_user.organisation
    reference = other.filed_cases.get().reference

    by_name = api.as_user(coordinator).get("/api/v1/cases/", {"q": other.name[:4]})
    by_reference = api.as_user(coordinator).get("/api/v1/cases/", {"q": reference.lower()})

    assert titles(by_name) == ["电力接入"]
    assert titles(by_reference) == ["电力接入"]


def test_an_enterprise_never_finds_another_enterprises_case(api, enterprise_user, filed):
    response = api.as_user(enterprise_user).get("/api/v1/cases/", {"q": "接入"})

    assert titles(response) == ["道路接入"]


def test_the_case_list_page_searches_the_same_way(client, coordinator, filed):
    client.force_login(coordinator)

    page = client.get("/cases/", {"tab": "all", "q": "管网"}).content.decode()

    assert "供水管网迁改" in page and "道路接入" in page and "电力接入" not in page


def test_list_pages_page_without_counting(client, coordinator, enterprise_user, category):
    for n in range(25):
        factories.case(enterprise_user, category=category, title=f"诉求{n:02d}")
    client.force_login(coordinator)

    first = client.get("/cases/", {"tab": "all"}).content.decode()
    second = client.get("/cases/", {"tab": "all", "page": "2"}).content.decode()
    nonsense = client.get("/cases/", {"tab": "all", "page": "abc"}).content.decode()

    def shown(page):
        return {n for n in range(25) if f"诉求{n:02d}" in page}

    assert len(shown(first)) == 20 and "page=2" in first and "第 1 页" in first
    assert len(shown(second)) == 5 and not shown(first) & shown(second)
    assert "page=1" in second and "page=3" not in second and "第 2 页" in second
    assert "第 1 页" in nonsense
