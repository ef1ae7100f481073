"""The direct route end to end through the API, as the demo accounts would walk it."""

from tests import factories
from workflow.record.models import Event


def fire(api, user, url, **body):
    response = api.as_user(user).post(url, body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_direct_route_from_filing_to_closure(
    api,
    enterprise_user,
    other_enterprise_user,
    coordinator,
    department_officer,
    other_department_officer,
    zigui_org,
    zhujian_org,
    category,
):
    filed = api.as_user(enterprise_user).post(
        "/api/v1/cases/",
        {
            "title": "周边市政配套工程滞后",
            "description": "影响综合验收",
            "category": category.pk,
            "submit": True,
        },
        format="json",
    )
    assert filed.status_code == 201, filed.json()
    case = filed.json()
    assert case["status"] == "submitted"
    url = f"/api/v1/cases/{case['id']}/transitions/"

    fire(api, coordinator, url, name="accept")
    case = fire(
        api,
        coordinator,
        url,
        name="assign",
        assignments=[
            {"organisation": zigui_org.pk, "title": "规划审批", "due_date": "2030-01-10"},
            {"organisation": zhujian_org.pk, "title": "施工许可", "due_date": "2030-01-15"},
        ],
    )
    assert case["status"] == "implementing"
    assert case["progress"] == {"done": 0, "total": 2}

    for officer in (department_officer, other_department_officer):
        items = api.as_user(officer).get("/api/v1/action-items/").json()["results"]
        assert len(items) == 1
        item_url = f"/api/v1/action-items/{items[0]['id']}/transitions/"
        fire(api, officer, item_url, name="sign")
        fire(api, officer, item_url, name="complete", note="已办结")

    case = api.as_user(enterprise_user).get(f"/api/v1/cases/{case['id']}/").json()
    assert case["status"] == "under_review"
    assert case["progress"] == {"done": 2, "total": 2}
    # The office reviews the evidence, then asks the enterprise.
    case = fire(api, coordinator, url, name="resolve")
    assert case["status"] == "resolved"

    case = fire(api, enterprise_user, url, name="confirm", rating="satisfied", comment="很满意")
    assert case["status"] == "closed"

    kinds = list(Event.objects.filter(case_id=case["id"]).values_list("kind", flat=True))
    assert kinds == [
        "created",
        "submit",
        "accept",
        "assign",
        "action_item_assigned",
        "action_item_assigned",
        "action_item_sign",
        "action_item_complete",
        "action_item_sign",
        "action_item_complete",
        "submit_for_review",
        "resolve",
        "confirm",
    ]
    assert api.as_user(other_enterprise_user).get(f"/api/v1/cases/{case['id']}/").status_code == 404


def test_direct_route_notifies_owners_and_the_enterprise(
    api, enterprise_user, coordinator, department_officer, zigui_org, submitted_case
):
    from workflow.casefile import services as cases
    from workflow.items import services as action_items
    from workflow.notifications.models import Notification

    cases.case_accept(case=submitted_case, by=coordinator)
    action_items.case_assign(
        case=submitted_case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": factories.due_in(5)}
        ],
    )
    assert (
        Notification.objects.filter(
            recipient=department_officer, kind="action_item_assigned"
        ).count()
        == 1
    )
    item = submitted_case.action_items.get()
    action_items.action_item_sign(item=item, by=department_officer)
    action_items.action_item_complete(item=item, by=department_officer, note="done")
    assert not Notification.objects.filter(recipient=enterprise_user).exists()
    action_items.case_resolve(case=submitted_case, by=coordinator)
    assert (
        Notification.objects.filter(
            recipient=enterprise_user, kind="confirmation_requested"
        ).count()
        == 1
    )
