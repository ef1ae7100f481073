"""承办人 and 经办人: the office leader names the coordinator who owns a case (shown on the case,
listed and filtered by the API, counted on the workload page); a department's leader names the
officer of the owning organisation who handles an item."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests import factories
from workflow.casefile import services as case_services
from workflow.items import services as item_services
from workflow.notifications.models import Notification
from workflow.record.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(enterprise_user, coordinator, zigui_org, zhujian_org):
    return factories.assigned_case(enterprise_user, coordinator, zigui_org, zhujian_org)


def owner_url(case):
    return f"/api/v1/cases/{case.pk}/owner/"


def test_the_office_leader_names_the_case_owner(api, assigned, office_leader, coordinator):
    response = api.as_user(office_leader).put(
        owner_url(assigned), {"owner": coordinator.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["owner"]["username"] == "coordinator"
    event = Event.objects.get(case=assigned, kind="case_owner_named")
    assert (event.internal, event.payload["owner"]) == (True, coordinator.pk)
    assert Notification.objects.filter(recipient=coordinator, kind="case_owner_named").exists()
    cleared = api.as_user(office_leader).put(owner_url(assigned), {"owner": None}, format="json")
    assert cleared.json()["owner"] is None


@pytest.mark.parametrize(
    "who, status",
    [
        ("coordinator", 403),
        ("department_leader", 403),
        ("enterprise_user", 403),
        ("other_enterprise_user", 404),
    ],
)
def test_only_the_office_leader_names_a_case_owner(
    api, request, assigned, coordinator, who, status
):
    user = request.getfixturevalue(who)
    response = api.as_user(user).put(owner_url(assigned), {"owner": coordinator.pk}, format="json")
    assert response.status_code == status
    assert APIClient().put(
        owner_url(assigned), {"owner": coordinator.pk}, format="json"
    ).status_code in (401, 403)


def test_the_case_owner_must_work_in_the_office(api, assigned, office_leader, department_officer):
    for owner in (department_officer.pk, 999999, "x"):
        response = api.as_user(office_leader).put(
            owner_url(assigned), {"owner": owner}, format="json"
        )
        assert response.status_code == 400
        assert "owner" in response.json()["error"]["fields"]


def test_a_closed_case_gets_no_owner(api, enterprise_user, coordinator, office_leader, category):
    case = factories.case(enterprise_user, category=category)
    case_services.case_reject(case=case, by=coordinator, reason="不属于受理范围")
    response = api.as_user(office_leader).put(
        owner_url(case), {"owner": coordinator.pk}, format="json"
    )
    assert response.status_code == 409


def test_the_case_list_shows_and_filters_owners_in_a_fixed_number_of_queries(
    api, enterprise_user, coordinator, other_coordinator, office_leader, zigui_org
):
    cases = [factories.assigned_case(enterprise_user, coordinator, zigui_org) for _ in range(6)]
    for case in cases[:4]:
        case_services.case_owner_set(case=case, by=office_leader, owner=other_coordinator)
    client = api.as_user(coordinator)
    rows = client.get(f"/api/v1/cases/?owner={other_coordinator.pk}").json()["results"]
    assert {r["id"] for r in rows} == {c.pk for c in cases[:4]}
    assert rows[0]["owner"] == {
        "id": other_coordinator.pk,
        "username": "coordinator2",
        "name": "coordinator2",
    }
    unowned = client.get("/api/v1/cases/?unowned=true").json()["results"]
    assert {r["id"] for r in unowned} == {c.pk for c in cases[4:]}
    assert client.get("/api/v1/cases/?owner=abc").status_code == 400
    counts = []
    for size in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(
                    f"/api/v1/cases/?owner={other_coordinator.pk}&page_size={size}"
                ).status_code
                == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_case_page_shows_the_owner_and_the_leader_names_one(
    as_user, assigned, office_leader, coordinator
):
    page = as_user(coordinator).get(f"/cases/{assigned.pk}/").content.decode()
    assert "承办人" in page and "未指定" in page and "指定承办人" not in page
    leader = as_user(office_leader)
    assert "指定承办人" in leader.get(f"/cases/{assigned.pk}/").content.decode()
    assert leader.post(f"/cases/{assigned.pk}/owner/", {"owner": "999999"}).status_code == 302
    assigned.refresh_from_db()
    assert assigned.owner is None
    assert leader.post(f"/cases/{assigned.pk}/owner/", {"owner": coordinator.pk}).status_code == 302
    assigned.refresh_from_db()
    assert assigned.owner == coordinator
    as_user(coordinator).post(f"/cases/{assigned.pk}/owner/", {"owner": ""})
    assigned.refresh_from_db()
    assert assigned.owner == coordinator  # a coordinator cannot clear it


def test_the_workload_page_counts_open_cases_per_owner(
    as_user,
    enterprise_user,
    coordinator,
    other_coordinator,
    office_leader,
    zigui_org,
    department_officer,
):
    cases = [factories.assigned_case(enterprise_user, coordinator, zigui_org) for _ in range(3)]
    for case in cases:
        case_services.case_owner_set(case=case, by=office_leader, owner=other_coordinator)
    case_services.case_owner_set(case=cases[0], by=office_leader, owner=coordinator)
    rows, unowned = case_services.coordinator_workload()
    counts = {row["person"].username: row["open_cases"] for row in rows}
    assert counts == {"coordinator": 1, "coordinator2": 2, "office_leader": 0}
    assert unowned == 0
    page = as_user(office_leader).get("/office/workload/")
    assert page.status_code == 200
    assert f"owner={other_coordinator.pk}" in page.content.decode()
    assert as_user(department_officer).get("/office/workload/").status_code == 403
    listed = as_user(office_leader).get(f"/cases/?tab=all&owner={other_coordinator.pk}")
    assert listed.status_code == 200 and "承办人：coordinator2" in listed.content.decode()


def handler_url(item):
    return f"/api/v1/action-items/{item.pk}/handler/"


def test_the_department_leader_names_the_items_handler(
    api, assigned, zigui_org, department_leader, department_officer
):
    item = assigned.action_items.get(owner=zigui_org)
    response = api.as_user(department_leader).put(
        handler_url(item), {"handler": department_officer.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["handler"]["username"] == department_officer.username
    assert Event.objects.get(kind="action_item_handler_named").action_item_id == item.pk
    assert Notification.objects.filter(
        recipient=department_officer, kind="action_item_handler_named"
    ).exists()
    assert api.as_user(department_officer).get(handler_url(item)).json()["handler"]["id"] == (
        department_officer.pk
    )


def test_the_handler_must_belong_to_the_owning_organisation(
    api, assigned, zigui_org, department_leader, other_department_officer, coordinator
):
    item = assigned.action_items.get(owner=zigui_org)
    for handler in (other_department_officer.pk, coordinator.pk):
        response = api.as_user(department_leader).put(
            handler_url(item), {"handler": handler}, format="json"
        )
        assert response.status_code == 400
        assert "handler" in response.json()["error"]["fields"]


def test_only_the_owning_organisations_leader_names_a_handler(
    api, assigned, zigui_org, zhujian_org, department_officer, coordinator, office_leader
):
    item = assigned.action_items.get(owner=zigui_org)
    other_leader = factories.user("zhujian_leader", zhujian_org, organisation_role="leader")
    for user, status in (
        (department_officer, 403),
        (coordinator, 403),
        (office_leader, 403),
        (other_leader, 403),
    ):
        response = api.as_user(user).put(
            handler_url(item), {"handler": department_officer.pk}, format="json"
        )
        assert response.status_code == status, user


def test_reassigning_an_item_clears_its_handler(
    assigned, zigui_org, zhujian_org, department_leader, department_officer, coordinator
):
    item = assigned.action_items.get(owner=zigui_org)
    item_services.action_item_handler_set(
        item=item, by=department_leader, handler=department_officer
    )
    item_services.action_item_return(item=item, by=department_officer, reason="不属于本局职责")
    item = item_services.action_item_reassign(item=item, by=coordinator, owner=zhujian_org)
    item.refresh_from_db()
    assert item.handler is None


def test_the_item_page_shows_the_handler_and_the_leader_names_one(
    as_user, assigned, zigui_org, department_leader, department_officer
):
    item = assigned.action_items.get(owner=zigui_org)
    page = as_user(department_officer).get(f"/items/{item.pk}/").content.decode()
    assert "经办人" in page and "指定经办人" not in page
    leader = as_user(department_leader)
    assert "指定经办人" in leader.get(f"/items/{item.pk}/").content.decode()
    assert leader.post(f"/items/{item.pk}/handler/", {"handler": "abc"}).status_code == 302
    assert (
        leader.post(f"/items/{item.pk}/handler/", {"handler": department_officer.pk}).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.handler == department_officer
    shown = leader.get(f"/items/{item.pk}/").content.decode()
    assert f"<dd>{department_officer}</dd>" in shown
