"""One rule decides which action items a person sees (`ActionItem.objects.visible_to`), and
every read and write of an item goes through it: an item a person may not see is a 404 on
every address, API and pages, and nothing is written. Supervision (督办) is the office's alone.
"""

import datetime

import pytest

from tests import factories
from workflow.casefile import services as case_services
from workflow.extensions import services as extension_services
from workflow.extensions.models import Extension
from workflow.items import services as item_services
from workflow.items.models import ActionItem
from workflow.items.transitions import ACTION_ITEM_TRANSITIONS
from workflow.record.models import Event
from workflow.supervision import services as supervision_services
from workflow.supervision.models import SupervisionNotice

D = datetime.date


@pytest.fixture
def today(settings, monkeypatch):
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)
    settings.SHENLIANTI_TODAY = "2026-09-25"
    return settings


@pytest.fixture
def items(today, enterprise_user, coordinator, zigui_org, zhujian_org, category):
    """A case with an item for 资规局 and one for 住建局; an extension waits on 住建局's item,
    and, once it is overdue, a supervision notice."""
    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    item_services.case_assign(
        case=case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": D(2026, 9, 29)},
            {"organisation": zhujian_org, "title": "施工许可", "due_date": D(2026, 9, 29)},
        ],
    )
    zigui_item = ActionItem.objects.get(case=case, owner=zigui_org)
    zhujian_item = ActionItem.objects.get(case=case, owner=zhujian_org)
    zhujian = factories.user("zhujian_owner", zhujian_org)
    item_services.action_item_sign(item=zhujian_item, by=zhujian)
    extension = extension_services.extension_request(
        item=zhujian_item, by=zhujian, due_date=D(2026, 10, 20), reason="雨季停工"
    )
    today.SHENLIANTI_TODAY = "2026-09-30"
    notice = supervision_services.supervision_issue(
        item=zhujian_item, by=coordinator, text="请加快办理"
    )
    return zigui_item, zhujian_item, extension, notice


def written():
    """What a refused request must leave as it was."""
    return (
        Event.objects.count(),
        Extension.objects.count(),
        SupervisionNotice.objects.count(),
        list(ActionItem.objects.order_by("pk").values_list("status", "due_date", "owner_id")),
        list(Extension.objects.order_by("pk").values_list("status", flat=True)),
        list(SupervisionNotice.objects.order_by("pk").values_list("status", flat=True)),
    )


def api_requests(item, extension, notice):
    """Every API address that reads or writes one action item or what hangs from it."""
    yield "get", f"/api/v1/action-items/{item.pk}/", None
    yield "get", f"/api/v1/action-items/{item.pk}/transitions/", None
    for name in ACTION_ITEM_TRANSITIONS:
        body = {"name": name, "reason": "x", "note": "x", "owner": item.owner_id}
        yield "post", f"/api/v1/action-items/{item.pk}/transitions/", body
    yield "get", f"/api/v1/action-items/{item.pk}/extensions/", None
    body = {"due_date": "2026-10-30", "reason": "x"}
    yield "post", f"/api/v1/action-items/{item.pk}/extensions/", body
    yield "post", f"/api/v1/action-items/{item.pk}/supervision/", {"text": "x"}
    yield "get", f"/api/v1/extensions/{extension.pk}/transitions/", None
    for name in ("approve", "refuse"):
        body = {"name": name, "note": "x"}
        yield "post", f"/api/v1/extensions/{extension.pk}/transitions/", body
    yield "get", f"/api/v1/supervision/{notice.pk}/transitions/", None
    body = {"name": "answer", "answer": "x"}
    yield "post", f"/api/v1/supervision/{notice.pk}/transitions/", body


def page_requests(item, extension, notice):
    """Every page address that reads or writes one action item or what hangs from it."""
    yield "get", f"/items/{item.pk}/", None
    for name in ACTION_ITEM_TRANSITIONS:
        body = {"reason": "x", "note": "x", "owner": item.owner_id}
        yield "post", f"/items/{item.pk}/transitions/{name}/", body
    yield "post", f"/items/{item.pk}/extensions/", {"due_date": "2026-10-30", "reason": "x"}
    yield "post", f"/items/{item.pk}/supervision/", {"text": "x"}
    for name in ("approve", "refuse"):
        yield "post", f"/extensions/{extension.pk}/transitions/{name}/", {"note": "x"}
    yield "post", f"/supervision/{notice.pk}/transitions/answer/", {"answer": "x"}


OUTSIDERS = ["other_enterprise_user", "third_party_officer", "legal_expert", "chengguan"]


@pytest.fixture
def chengguan(db):
    """A bureau with no part in the case, with its leader's role."""
    return factories.user(
        "chengguan_leader",
        factories.organisation("城管局", kind="department"),
        organisation_role="leader",
    )


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_an_item_a_person_cannot_see_is_a_404_everywhere_and_nothing_is_written(
    request, persona, items, api, as_user
):
    user = request.getfixturevalue(persona)
    _, item, extension, notice = items
    before = written()
    client = api.as_user(user)
    for method, url, body in api_requests(item, extension, notice):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, (persona, method, url, response.content)
        assert response.json()["error"]["code"] == "not_found", url
    pages = as_user(user)
    for method, url, body in page_requests(item, extension, notice):
        response = getattr(pages, method)(url, body)
        assert response.status_code == 404, (persona, method, url, response.status_code)
    assert written() == before
    listed = client.get("/api/v1/action-items/").json()["results"]
    assert item.pk not in [row["id"] for row in listed]
    assert client.get("/api/v1/supervision/").json()["results"] == []


def test_the_detail_answers_for_the_items_whose_writes_answer(
    items, api, department_leader, department_officer
):
    """A bureau involved in the case reads the other bureau's item, as its case page lists it,
    and may write nothing on it: 200 on the detail, 403 on the writes, never the reverse."""
    _, item, _, _ = items
    for person in (department_leader, department_officer):
        client = api.as_user(person)
        assert client.get(f"/api/v1/action-items/{item.pk}/").status_code == 200
        assert client.get(f"/api/v1/action-items/{item.pk}/transitions/").json() == []
        before = written()
        refused = client.post(
            f"/api/v1/action-items/{item.pk}/supervision/", {"text": "x"}, format="json"
        )
        assert refused.status_code == 403, refused.content
        assert refused.json()["error"]["code"] == "permission_denied"
        assert written() == before
        # The work list stays the bureau's own items.
        listed = client.get("/api/v1/action-items/").json()["results"]
        assert item.pk not in [row["id"] for row in listed]


def test_every_list_row_is_a_visible_item(items, request):
    """The work lists (`listed_for`) never show an item the rule hides."""
    people = [
        "coordinator",
        "enterprise_user",
        "other_enterprise_user",
        "department_officer",
        "department_leader",
        "third_party_officer",
        "legal_expert",
    ]
    for persona in people:
        user = request.getfixturevalue(persona)
        listed = set(ActionItem.objects.listed_for(user).values_list("pk", flat=True))
        visible = set(ActionItem.objects.visible_to(user).values_list("pk", flat=True))
        assert listed <= visible, persona


# --- supervision (督办): the office alone ---------------------------------------------------


@pytest.fixture
def office_leader(office):
    return factories.user("office_leader", office, organisation_role="leader")


@pytest.fixture
def enterprise_leader(enterprise_org):
    return factories.user("enterprise_boss", enterprise_org, organisation_role="leader")


@pytest.fixture
def zhujian_leader(zhujian_org):
    return factories.user("zhujian_leader", zhujian_org, organisation_role="leader")


@pytest.fixture
def deputy(db):
    return factories.user("deputy", None, representative_capacity="npc_deputy")


@pytest.fixture
def overdue(today, enterprise_user, coordinator, zigui_org, zhujian_org, category):
    """住建局's overdue item on a case both bureaus work on."""
    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    item_services.case_assign(
        case=case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": D(2026, 9, 29)},
            {"organisation": zhujian_org, "title": "施工许可", "due_date": D(2026, 9, 29)},
        ],
    )
    today.SHENLIANTI_TODAY = "2026-09-30"
    return ActionItem.objects.get(case=case, owner=zhujian_org)


@pytest.mark.parametrize("persona", ["coordinator", "office_leader"])
def test_the_office_supervises(request, persona, overdue, api, as_user):
    user = request.getfixturevalue(persona)
    page = as_user(user).get(f"/items/{overdue.pk}/").content.decode()
    assert f"/items/{overdue.pk}/supervision/" in page
    issued = api.as_user(user).post(
        f"/api/v1/action-items/{overdue.pk}/supervision/", {"text": "请加快办理"}, format="json"
    )
    assert issued.status_code == 201, issued.content


# Who sees the item (the case's parties) gets 403; who does not, 404. Nobody else issues it.
REFUSED = {
    "department_officer": 403,  # a peer bureau on the case
    "department_leader": 403,  # the peer bureau's leader (zigui_leader)
    "zhujian_leader": 403,  # the owner's own leader answers supervision, never issues it
    "enterprise_user": 403,  # the filing enterprise
    "enterprise_leader": 403,  # an enterprise user with the leader role
    "third_party_officer": 404,
    "other_enterprise_user": 404,
    "legal_expert": 404,
    "deputy": 404,
    "chengguan": 404,  # an uninvolved bureau's leader
}


@pytest.mark.parametrize("persona", REFUSED)
def test_nobody_but_the_office_supervises(request, persona, overdue, api, as_user):
    user = request.getfixturevalue(persona)
    before = written()
    refused = api.as_user(user).post(
        f"/api/v1/action-items/{overdue.pk}/supervision/", {"text": "请加快办理"}, format="json"
    )
    assert refused.status_code == REFUSED[persona], refused.content
    assert set(refused.json()["error"]) >= {"code", "message"}
    pages = as_user(user)
    detail = pages.get(f"/items/{overdue.pk}/")
    assert detail.status_code == (200 if REFUSED[persona] == 403 else 404)
    assert f"/items/{overdue.pk}/supervision/" not in detail.content.decode()
    posted = pages.post(f"/items/{overdue.pk}/supervision/", {"text": "请加快办理"})
    assert posted.status_code == REFUSED[persona]
    assert written() == before
    with pytest.raises(Exception) as service_refusal:
        supervision_services.supervision_issue(item=overdue, by=user, text="请加快办理")
    assert type(service_refusal.value).__name__ == "PermissionDenied"
