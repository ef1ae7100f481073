"""Similar cases (类案参照): the ranking on a hand-built set, who sees which precedents, and
starting a case from one (rules copied, or a direct assignment pre-filled)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Category
from config import timesource
from tests import factories
from tests.precedent_cases import closed_case, deliberated_case
from workflow.casefile import services as case_services
from workflow.deadlines.working_days import add_working_days
from workflow.precedents.models import PrecedentFollow
from workflow.record.models import Event

RELOCATION = "utility_relocation"


@pytest.fixture
def precedents(
    enterprise_user,
    other_enterprise_user,
    coordinator,
    department_officer,
    other_department_officer,
):
    """The hand-built set: an obvious precedent, the same elsewhere, an unrelated one, another
    enterprise's relocation handled by another department, and a similar case still open."""
    obvious = closed_case(
        enterprise_user,
        coordinator,
        department_officer,
        title="一期厂房红线内自来水主管迁改",
        description="厂房地块红线内有一条 DN500 自来水主管，需迁改后方可开挖基础。",
        project_name="甬江精机一期厂房",
        location="海曙区集士港镇",
    )
    near = closed_case(
        enterprise_user,
        coordinator,
        department_officer,
        title="一期厂房红线内自来水主管迁改",
        description="厂房地块红线内有一条 DN500 自来水主管，需迁改后方可开挖基础。",
        project_name="望春产业园项目",
        location="海曙区望春工业园区",
    )
    unrelated = closed_case(
        enterprise_user,
        coordinator,
        department_officer,
        category="fire_safety",
        title="研发楼消防设计审查咨询",
        description="研发楼改造，想了解消防设计审查的材料要求。",
    )
    others = closed_case(
        other_enterprise_user,
        coordinator,
        other_department_officer,
        title="二期厂房红线内自来水主管迁改",
        description="地块内自来水主管需迁改。",
    )
    still_open = factories.assigned_case(
        enterprise_user,
        coordinator,
        department_officer.organisation,
        category=Category.objects.get(code=RELOCATION),
        title="三期厂房红线内自来水主管迁改",
    )
    return {
        "obvious": obvious,
        "near": near,
        "unrelated": unrelated,
        "others": others,
        "open": still_open,
    }


@pytest.fixture
def new_case(enterprise_user):
    return factories.case(
        enterprise_user,
        category=Category.objects.get(code=RELOCATION),
        title="二期厂房红线内自来水主管迁改申请",
        description="二期厂房地块内有一条自来水主管，需迁改后才能施工。",
        project_name="甬江精机二期厂房",
        location="海曙区集士港镇",
    )


def similar_ids(api, user, case, **params):
    response = api.as_user(user).get(f"/api/v1/cases/{case.pk}/similar/", params)
    assert response.status_code == 200, response.content
    return [row["case"]["id"] for row in response.json()["results"]], response.json()["results"]


@pytest.mark.django_db
def test_the_obviously_similar_case_comes_first_and_an_unrelated_one_is_absent(
    api, coordinator, precedents, new_case
):
    ids, rows = similar_ids(api, coordinator, new_case)
    assert ids[0] in (precedents["obvious"].pk, precedents["others"].pk)
    assert precedents["obvious"].pk in ids[:2]
    assert precedents["unrelated"].pk not in ids
    assert precedents["open"].pk not in ids, "a case still being handled is no precedent"
    assert new_case.pk not in ids
    top = rows[ids.index(precedents["obvious"].pk)]
    assert "category" in top["reasons"] and "title" in top["reasons"]
    assert top["outcome"]["route"] == "direct"
    assert top["outcome"]["departments"] == [precedents["obvious"].action_items.get().owner.name]
    assert top["outcome"]["rating"] == "satisfied"
    assert top["outcome"]["working_days"] is not None
    assert top["steps"][0]["title"] == precedents["obvious"].action_items.get().title


@pytest.mark.django_db
def test_the_same_place_and_project_rank_an_otherwise_equal_precedent_higher(
    api, coordinator, precedents, new_case
):
    ids, _rows = similar_ids(api, coordinator, new_case)
    # The same title and description; the obvious one shares the place and the project.
    assert ids.index(precedents["obvious"].pk) < ids.index(precedents["near"].pk)


@pytest.mark.django_db
def test_an_enterprise_sees_only_its_own_earlier_cases(
    api, enterprise_user, other_enterprise_user, precedents, new_case
):
    ids, rows = similar_ids(api, enterprise_user, new_case)
    assert precedents["obvious"].pk in ids
    assert precedents["others"].pk not in ids
    assert all(row["enterprise_name"] == new_case.enterprise.name for row in rows)


@pytest.mark.django_db
def test_another_enterprise_cannot_ask_for_a_cases_precedents(
    api, other_enterprise_user, precedents, new_case
):
    response = api.as_user(other_enterprise_user).get(f"/api/v1/cases/{new_case.pk}/similar/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_department_sees_precedents_within_its_own_limits_without_enterprise_names(
    api, coordinator, department_officer, precedents, new_case, zigui_org
):
    # The department sees the new case once it holds an item of it.
    case_services.case_accept(case=new_case, by=coordinator)
    from workflow.items.services import case_assign

    case_assign(
        case=Case.objects.get(pk=new_case.pk),
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "出具意见", "due_date": factories.due_in(9)}
        ],
    )
    ids, rows = similar_ids(api, department_officer, new_case)
    assert precedents["obvious"].pk in ids
    assert precedents["others"].pk not in ids, "handled by another department only"
    assert all(row["enterprise_name"] is None for row in rows)
    ids, rows = similar_ids(api, coordinator, new_case)
    assert precedents["others"].pk in ids
    assert all(row["enterprise_name"] for row in rows)


@pytest.mark.django_db
def test_the_lookup_costs_the_same_queries_for_one_precedent_or_several(
    api, coordinator, precedents, new_case
):
    api.as_user(coordinator)

    def count(limit):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/v1/cases/{new_case.pk}/similar/?limit={limit}").status_code == 200
        return len(queries)

    assert count(1) == count(10)


@pytest.mark.django_db
@pytest.mark.parametrize("limit", ["0", "11", "x"])
def test_a_bad_limit_is_a_400_naming_it(api, coordinator, new_case, limit):
    response = api.as_user(coordinator).get(f"/api/v1/cases/{new_case.pk}/similar/?limit={limit}")
    assert response.status_code == 400
    assert "limit" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_the_coordinator_copies_a_precedents_rules_into_the_draft_rules(
    api, coordinator, enterprise_user, department_officer, precedents
):
    case = deliberated_case(
        enterprise_user, coordinator, department_officer, title="自来水主管迁改"
    )
    source = precedents["obvious"].action_items.get()
    response = api.as_user(coordinator).post(
        f"/api/v1/cases/{case.pk}/precedent-follows/",
        {"precedent": precedents["obvious"].pk, "mode": "rules"},
        format="json",
    )
    assert response.status_code == 201, response.content
    drafts = list(case.rule_items.order_by("number"))
    assert [(d.title, d.owner_id, d.published_at) for d in drafts] == [
        (source.title, source.owner_id, None)
    ]
    days = response.json()["steps"][0]["working_days"]
    assert drafts[0].due_date == add_working_days(timesource.today(), days)
    follow = PrecedentFollow.objects.get(case=case)
    assert (follow.precedent_id, follow.mode, follow.followed_by) == (
        precedents["obvious"].pk,
        "rules",
        coordinator,
    )
    event = Event.objects.get(case=case, kind="precedent_followed")
    assert event.internal and event.payload["reference"] == precedents["obvious"].reference


@pytest.mark.django_db
def test_rules_cannot_be_copied_before_the_case_is_deliberated(
    api, coordinator, precedents, new_case
):
    case_services.case_accept(case=new_case, by=coordinator)
    response = api.as_user(coordinator).post(
        f"/api/v1/cases/{new_case.pk}/precedent-follows/",
        {"precedent": precedents["obvious"].pk, "mode": "rules"},
        format="json",
    )
    assert response.status_code == 409
    assert not new_case.rule_items.exists() and not PrecedentFollow.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["open", "self", "missing"])
def test_only_a_resolved_case_can_be_followed(api, coordinator, precedents, new_case, which):
    case_services.case_accept(case=new_case, by=coordinator)
    target = {"open": precedents["open"].pk, "self": new_case.pk, "missing": 999999}[which]
    response = api.as_user(coordinator).post(
        f"/api/v1/cases/{new_case.pk}/precedent-follows/",
        {"precedent": target, "mode": "assign"},
        format="json",
    )
    assert response.status_code == 400
    assert "precedent" in response.json()["error"]["fields"]
    assert not Event.objects.filter(kind="precedent_followed").exists()


@pytest.mark.django_db
def test_only_the_office_follows_a_precedent(api, enterprise_user, precedents, new_case):
    response = api.as_user(enterprise_user).post(
        f"/api/v1/cases/{new_case.pk}/precedent-follows/",
        {"precedent": precedents["obvious"].pk, "mode": "assign"},
        format="json",
    )
    assert response.status_code == 403
    assert api.get(f"/api/v1/cases/{new_case.pk}/precedent-follows/").status_code == 403


@pytest.mark.django_db
def test_following_for_a_direct_assignment_prefills_the_assign_form(
    as_user, coordinator, precedents, new_case
):
    case_services.case_accept(case=new_case, by=coordinator)
    source = precedents["obvious"].action_items.get()
    client = as_user(coordinator)
    page = client.get(f"/cases/{new_case.pk}/")
    assert precedents["obvious"].title in page.content.decode()
    response = client.post(
        f"/cases/{new_case.pk}/precedents/follow/",
        {"precedent": precedents["obvious"].pk, "mode": "assign"},
    )
    assert response.status_code == 302
    follow = PrecedentFollow.objects.get(case=new_case)
    assert f"?precedent={follow.pk}" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert f'value="{source.title}"' in html
    assert f'<option value="{source.owner_id}" selected>' in html
    assert not new_case.action_items.exists(), "nothing is assigned until the form is sent"


@pytest.mark.django_db
def test_a_wrong_follow_from_the_page_is_told_and_changes_nothing(
    as_user, coordinator, precedents, new_case
):
    client = as_user(coordinator)
    response = client.post(
        f"/cases/{new_case.pk}/precedents/follow/",
        {"precedent": precedents["obvious"].pk, "mode": "rules"},
        follow=True,
    )
    assert response.status_code == 200
    assert "已议定后才能参照类案" in response.content.decode()
    assert not PrecedentFollow.objects.exists()


@pytest.mark.django_db
def test_the_case_page_shows_an_enterprise_only_its_own_precedents(
    as_user, enterprise_user, other_enterprise_user, precedents
):
    case = factories.case(
        other_enterprise_user,
        category=Category.objects.get(code=RELOCATION),
        title="厂房红线内自来水主管迁改",
    )
    html = as_user(other_enterprise_user).get(f"/cases/{case.pk}/").content.decode()
    assert precedents["others"].title in html
    assert precedents["obvious"].title not in html


@pytest.mark.django_db
def test_the_follows_of_a_case_are_listed_at_a_fixed_cost(api, coordinator, precedents, new_case):
    case_services.case_accept(case=new_case, by=coordinator)
    api.as_user(coordinator)
    for which in ("obvious", "others"):
        response = api.post(
            f"/api/v1/cases/{new_case.pk}/precedent-follows/",
            {"precedent": precedents[which].pk, "mode": "assign"},
            format="json",
        )
        assert response.status_code == 201
        assert response.json()["assignments"][0]["organisation"]

    def count(size):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/v1/cases/{new_case.pk}/precedent-follows/?page_size={size}")
            assert response.status_code == 200 and response.json()["results"]
        return len(queries)

    count(1)
    assert count(1) == count(50)
