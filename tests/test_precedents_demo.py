"""The issue's check on the demo: a new case about moving a water main finds the demo's earlier
relocation among its top three precedents, with its rules, and the coordinator starts the draft
rules from it."""

import pytest

from cases.models import Category
from departments.models import User
from tests.precedent_cases import deliberated_case
from workflow.demo import seed_demo
from workflow.precedents.demo import TITLE


@pytest.mark.django_db
def test_a_new_water_main_case_starts_from_the_demos_relocation(api):
    seed_demo()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["enterprise", "coordinator", "zigui"])
    }
    case = deliberated_case(
        users["enterprise"],
        users["coordinator"],
        users["zigui"],
        category=Category.objects.get(code="utility_relocation"),
        title="研究院二期地块自来水主管迁改",
        description="二期地块内一条自来水主管需迁改，影响基坑开挖。",
        location="海曙区望春工业园区",
    )
    response = api.as_user(users["coordinator"]).get(f"/api/v1/cases/{case.pk}/similar/")
    top = response.json()["results"][:3]
    demo = next(p for p in top if p["case"]["title"] == TITLE)
    assert [r["title"] for r in demo["rules"]][:2] == [
        "编制自来水主管迁改方案",
        "出具管线迁改工程规划许可",
    ]
    assert demo["resolution"]["legal_basis"].startswith("《城镇供水条例》")
    assert demo["outcome"]["route"] == "session" and demo["outcome"]["satisfaction"] == "满意"

    response = api.post(
        f"/api/v1/cases/{case.pk}/precedent-follows/",
        {"precedent": demo["case"]["id"], "mode": "rules"},
        format="json",
    )
    assert response.status_code == 201, response.content
    drafts = list(case.rule_items.order_by("number").values_list("title", "owner_id"))
    assert drafts == [(r["title"], r["owner"]["id"]) for r in demo["rules"]]
    assert case.events.filter(kind="precedent_followed").exists()
