"""Extensions (延期): the owner asks before the due date, a coordinator approves or refuses."""

import datetime

import pytest

from tests import factories
from workflow.casefile import services as case_services
from workflow.items import services as item_services
from workflow.items.models import ActionItem
from workflow.record.models import Event

D = datetime.date


@pytest.fixture
def item(settings, monkeypatch, enterprise_user, coordinator, zigui_org, category):
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)
    settings.SHENLIANTI_TODAY = "2026-11-20"
    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    item_services.case_assign(
        case=case,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": D(2026, 11, 27)}],
    )
    return ActionItem.objects.get(case=case)


def ask(api, user, item, due="2026-12-04", reason="需要补充测绘"):
    return api.as_user(user).post(
        f"/api/v1/action-items/{item.pk}/extensions/",
        {"due_date": due, "reason": reason},
        format="json",
    )


def decide(api, user, extension_id, name):
    return api.as_user(user).post(
        f"/api/v1/extensions/{extension_id}/transitions/",
        {"name": name, "note": "同意" if name == "approve" else "理由不足"},
        format="json",
    )


@pytest.mark.parametrize(
    ("decision", "due"), [("approve", D(2026, 12, 4)), ("refuse", D(2026, 11, 27))]
)
def test_approved_extension_moves_the_due_date_refused_does_not(
    api, item, department_officer, coordinator, decision, due
):
    def due_within(days):
        body = api.as_user(coordinator).get("/api/v1/action-items/", {"due_within": days}).json()
        return [row["id"] for row in body["results"]]

    assert (due_within(4), due_within(5)) == ([], [item.pk])
    asked = ask(api, department_officer, item)
    assert asked.status_code == 201, asked.json()
    extension = asked.json()["id"]
    assert ask(api, department_officer, item, due="2026-12-10").status_code == 409  # one pending
    assert decide(api, department_officer, extension, decision).status_code == 403
    decided = decide(api, coordinator, extension, decision)
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == ("approved" if decision == "approve" else "refused")
    assert decide(api, coordinator, extension, decision).status_code == 409
    item.refresh_from_db()
    assert item.due_date == due
    kinds = set(Event.objects.filter(case=item.case).values_list("kind", flat=True))
    assert {"extension_requested", f"extension_{decided.json()['status']}"} <= kinds
    listed = api.as_user(coordinator).get(f"/api/v1/action-items/{item.pk}/extensions/").json()
    assert [row["id"] for row in listed["results"]] == [extension]


def test_extension_guards(
    api, settings, item, department_officer, coordinator, other_department_officer
):
    assert ask(api, coordinator, item).status_code == 403
    assert ask(api, other_department_officer, item).status_code == 404
    bad = ask(api, department_officer, item, due="2026-11-26")
    assert bad.status_code == 400 and "due_date" in bad.json()["error"]["fields"]
    assert ask(api, department_officer, item, reason=" ").status_code == 400
    settings.SHENLIANTI_TODAY = "2026-11-30"  # past the due date
    assert ask(api, department_officer, item).status_code == 409
