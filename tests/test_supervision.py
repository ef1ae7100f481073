"""Supervision (督办): only on overdue items; the owner and its leaders hear it and answer."""

import datetime

import pytest

from tests import factories
from workflow.casefile import services as case_services
from workflow.items import services as item_services
from workflow.items.models import ActionItem
from workflow.notifications.models import Notification

D = datetime.date


@pytest.fixture
def item(settings, monkeypatch, enterprise_user, coordinator, zigui_org, category):
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)
    settings.SHENLIANTI_TODAY = "2026-09-25"
    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    item_services.case_assign(
        case=case,
        by=coordinator,
        assignments=[{"organisation": zigui_org, "title": "规划审批", "due_date": D(2026, 9, 29)}],
    )
    return ActionItem.objects.get(case=case)


def issue(api, user, item):
    return api.as_user(user).post(
        f"/api/v1/action-items/{item.pk}/supervision/", {"text": "请加快办理"}, format="json"
    )


def test_supervision_on_an_overdue_item_and_the_written_answer(
    api, settings, item, coordinator, department_officer, department_leader
):
    assert issue(api, coordinator, item).status_code == 409  # not overdue yet
    settings.SHENLIANTI_TODAY = "2026-09-30"
    assert issue(api, department_officer, item).status_code == 403
    issued = issue(api, coordinator, item)
    assert issued.status_code == 201, issued.json()
    notice = issued.json()
    assert notice["answer_due"] == "2026-10-10"  # 3 working days over National Day
    for person in (department_officer, department_leader):
        assert Notification.objects.filter(recipient=person, kind="supervision").exists()

    url = f"/api/v1/supervision/{notice['id']}/transitions/"
    assert api.as_user(coordinator).post(url, {"name": "answer", "answer": "x"}).status_code == 403
    answered = api.as_user(department_officer).post(
        url, {"name": "answer", "answer": "已安排专人，10月9日前办结"}, format="json"
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "answered"

    for params in ({"case": item.case_id}, {"owner": item.owner_id}):
        listed = api.as_user(coordinator).get("/api/v1/supervision/", params).json()
        assert [row["id"] for row in listed["results"]] == [notice["id"]]
