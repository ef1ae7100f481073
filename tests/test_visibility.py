"""Who sees a case: the same rule for the list, the detail and everything under it.

The case belongs to 宁波工业互联网研究院 and is being worked by 资规局. Another enterprise, a
department with no part in it, and a legal expert not invited must find nothing (404)."""

import pytest

from tests import factories
from workflow.casefile.contributions import attachment_add, comment_add

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

SEES = {
    "enterprise_user": True,
    "coordinator": True,
    "department_officer": True,
    "other_enterprise_user": False,
    "other_department_officer": False,
    "legal_expert": False,
}


@pytest.fixture
def worked_case(enterprise_user, coordinator, zigui_org, category):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    attachment = attachment_add(
        case=case, by=enterprise_user, upload=SimpleUploadedFile("红线图.pdf", PDF)
    )
    comment_add(case=case, by=coordinator, body="请资规局优先办理", visibility="internal")
    comment_add(case=case, by=coordinator, body="已交办资规局", visibility="shared")
    return case, attachment


def urls(case, attachment):
    base = f"/api/v1/cases/{case.pk}/"
    return [
        base,
        base + "events/",
        base + "attachments/",
        base + f"attachments/{attachment.pk}/download/",
        base + "comments/",
        base + "transitions/",
    ]


@pytest.mark.parametrize("persona,sees", SEES.items())
def test_case_and_everything_under_it_follow_one_visibility_rule(
    request, api, worked_case, persona, sees
):
    case, attachment = worked_case
    user = request.getfixturevalue(persona)
    client = api.as_user(user)

    listed = [c["id"] for c in client.get("/api/v1/cases/").json()["results"]]
    assert (case.pk in listed) is sees
    for url in urls(case, attachment):
        assert client.get(url).status_code == (200 if sees else 404), url
    assert client.post(
        f"/api/v1/cases/{case.pk}/comments/", {"body": "打听一下"}, format="json"
    ).status_code == (201 if sees else 404)


def test_anonymous_callers_see_nothing(api, worked_case):
    case, attachment = worked_case
    assert api.get("/api/v1/cases/").status_code in (401, 403)
    for url in urls(case, attachment):
        assert api.get(url).status_code in (401, 403), url


def test_the_enterprise_never_sees_internal_comments(
    api, worked_case, enterprise_user, department_officer
):
    case, _attachment = worked_case
    url = f"/api/v1/cases/{case.pk}/comments/"

    for_enterprise = [c["body"] for c in api.as_user(enterprise_user).get(url).json()["results"]]
    for_department = [c["body"] for c in api.as_user(department_officer).get(url).json()["results"]]

    assert for_enterprise == ["已交办资规局"]
    assert sorted(for_department) == sorted(["已交办资规局", "请资规局优先办理"])


def test_a_department_loses_sight_of_a_case_when_its_item_is_reassigned(
    api, worked_case, coordinator, department_officer, zhujian_org
):
    from workflow.items import services as action_items

    case, _attachment = worked_case
    item = case.action_items.get()
    action_items.action_item_return(item=item, by=department_officer, reason="非本局职责")
    action_items.action_item_reassign(item=item, by=coordinator, owner=zhujian_org)

    assert api.as_user(department_officer).get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_an_enterprise_draft_is_hidden_from_the_office(api, enterprise_user, coordinator):
    draft = factories.case(enterprise_user, submit=False)
    assert api.as_user(enterprise_user).get(f"/api/v1/cases/{draft.pk}/").status_code == 200
    assert api.as_user(coordinator).get(f"/api/v1/cases/{draft.pk}/").status_code == 404
