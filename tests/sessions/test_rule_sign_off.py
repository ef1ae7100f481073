"""The office leader's sign-off (领导签批) of the implementation rules: the coordinator submits,
the leader approves (which issues the rules, with a document number) or returns them with
remarks; every step is an event and a notification, each transition refused to the wrong role
and from the wrong state."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from cases.models import Case
from config.fsm import Conflict
from tests import factories
from workflow.documents.models import IssuedDocument
from workflow.implementation import services as rules
from workflow.implementation.models import RuleSignOff
from workflow.notifications.models import Notification
from workflow.record.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafted(concluded, coordinator, kaitou_org):
    session, _ = concluded
    rules.rule_item_add(
        case=session.case,
        by=coordinator,
        title="相邻地块配套工程报批",
        owner=kaitou_org,
        due_date=factories.due_in(20),
    )
    return Case.objects.get(pk=session.case_id)


@pytest.fixture
def pending(drafted, coordinator, office_leader):
    return rules.rule_sign_off_submit(case=drafted, by=coordinator, note="请审阅")


def signoffs_url(case):
    return f"/api/v1/cases/{case.pk}/rules/sign-offs/"


def fire_url(sign_off):
    return f"/api/v1/rule-sign-offs/{sign_off.pk}/transitions/"


def test_submitting_tells_the_office_leader_and_records_an_internal_event(
    drafted, coordinator, office_leader
):
    sign_off = rules.rule_sign_off_submit(case=drafted, by=coordinator, note="请审阅")
    assert sign_off.status == RuleSignOff.Status.PENDING
    assert [r["title"] for r in sign_off.submitted_rules] == ["相邻地块配套工程报批"]
    event = Event.objects.get(case=drafted, kind="rules_submitted")
    assert (event.from_state, event.to_state, event.internal) == ("draft", "pending", True)
    notice = Notification.objects.get(recipient=office_leader)
    assert notice.kind == "rules_sign_off_requested"
    assert "请审阅" in notice.rendered_body
    # The case waits: nothing is issued until the leader signs.
    assert Case.objects.get(pk=drafted.pk).status == Case.Status.DELIBERATED


def test_approval_issues_the_rules_with_a_document_number(
    pending, coordinator, office_leader, third_party_officer
):
    rules.rule_sign_off_approve(sign_off=pending, by=office_leader, remarks="同意")
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.remarks) == (
        "approved",
        office_leader,
        "同意",
    )
    case = Case.objects.get(pk=pending.case_id)
    assert case.status == Case.Status.IMPLEMENTING
    assert case.rule_items.get().action_item.status == "assigned"
    kinds = list(Event.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.index("rules_approved") < kinds.index("issue_rules")
    assert Event.objects.get(case=case, kind="issue_rules").actor == office_leader
    document = IssuedDocument.objects.get(sign_off=pending)
    assert (document.kind, document.serial, document.office) == (
        "rules",
        1,
        office_leader.organisation,
    )
    assert document.number == f"〔{document.year}〕1号"
    assert Notification.objects.filter(recipient=coordinator, kind="rules_signed_off").exists()
    assert Notification.objects.filter(
        recipient=third_party_officer, kind="rule_item_assigned"
    ).exists()


def test_return_needs_remarks_and_reopens_the_drafts(pending, coordinator, office_leader):
    with pytest.raises(ValidationError) as refused:
        rules.rule_sign_off_return(sign_off=pending, by=office_leader, remarks="  ")
    assert "remarks" in refused.value.message_dict
    rules.rule_sign_off_return(sign_off=pending, by=office_leader, remarks="期限过紧，请调整")
    pending.refresh_from_db()
    assert pending.status == RuleSignOff.Status.RETURNED
    assert Event.objects.get(case=pending.case, kind="rules_returned").payload["remarks"] == (
        "期限过紧，请调整"
    )
    note = Notification.objects.get(recipient=coordinator, kind="rules_sign_off_returned")
    assert "期限过紧" in note.rendered_body
    item = pending.case.rule_items.get()
    rules.rule_item_update(item=item, by=coordinator, due_date=factories.due_in(30))
    again = rules.rule_sign_off_submit(case=pending.case, by=coordinator)
    assert again.status == RuleSignOff.Status.PENDING
    assert pending.case.rule_sign_offs.count() == 2


def test_drafts_are_frozen_while_the_leader_has_them(pending, coordinator, zigui_org):
    case = pending.case
    item = case.rule_items.get()
    with pytest.raises(Conflict) as frozen:
        rules.rule_item_update(item=item, by=coordinator, title="改名")
    assert frozen.value.code == "sign_off_pending"
    with pytest.raises(Conflict):
        rules.rule_item_add(
            case=case, by=coordinator, title="新增", owner=zigui_org, due_date=factories.due_in(9)
        )
    with pytest.raises(Conflict):
        rules.rule_item_delete(item=item, by=coordinator)
    with pytest.raises(Conflict) as twice:
        rules.rule_sign_off_submit(case=case, by=coordinator)
    assert twice.value.code == "sign_off_pending"


@pytest.mark.parametrize(
    "who, status",
    [
        ("coordinator", 403),
        ("department_officer", 404),
        ("enterprise_user", 404),
        ("legal_expert", 404),
        ("office_leader", 200),
    ],
)
def test_only_the_office_leader_approves(api, request, pending, who, status):
    user = request.getfixturevalue(who)
    response = api.as_user(user).post(fire_url(pending), {"name": "approve"}, format="json")
    assert response.status_code == status, response.content
    pending.refresh_from_db()
    assert pending.status == ("approved" if status == 200 else "pending")


def test_a_coordinator_is_not_offered_the_decision_the_leader_is(
    api, pending, coordinator, office_leader
):
    assert api.as_user(coordinator).get(fire_url(pending)).json() == []
    offered = api.as_user(office_leader).get(fire_url(pending)).json()
    assert [t["name"] for t in offered] == ["approve", "send_back"]


def test_return_without_remarks_is_a_400_naming_the_field(api, pending, office_leader, coordinator):
    refused = api.as_user(coordinator).post(
        fire_url(pending), {"name": "send_back", "remarks": ""}, format="json"
    )
    assert refused.status_code == 403  # the role first
    response = api.as_user(office_leader).post(
        fire_url(pending), {"name": "send_back", "remarks": ""}, format="json"
    )
    assert response.status_code == 400
    assert "remarks" in response.json()["error"]["fields"]
    missing = api.as_user(office_leader).post(
        fire_url(pending), {"name": "send_back"}, format="json"
    )
    assert missing.status_code == 400


def test_a_decided_sign_off_cannot_be_decided_again(api, pending, office_leader):
    rules.rule_sign_off_return(sign_off=pending, by=office_leader, remarks="请修改")
    for name in ("approve", "send_back"):
        response = api.as_user(office_leader).post(
            fire_url(pending), {"name": name, "remarks": "再议"}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "invalid_state"


def test_submission_refused_without_drafts_or_before_deliberation(
    api, concluded, coordinator, accepted_case
):
    session, _ = concluded
    empty = api.as_user(coordinator).post(signoffs_url(session.case), {}, format="json")
    assert (empty.status_code, empty.json()["error"]["code"]) == (409, "guard_failed")
    early = api.as_user(coordinator).post(signoffs_url(accepted_case), {}, format="json")
    assert early.status_code == 409


@pytest.mark.parametrize(
    "who, status",
    [
        ("other_department_officer", 404),  # does not see the case
        ("department_officer", 403),  # sees it (invited), may not submit
        ("enterprise_user", 403),
        ("coordinator", 201),
    ],
)
def test_only_the_office_submits(api, request, drafted, who, status):
    user = request.getfixturevalue(who)
    response = api.as_user(user).post(signoffs_url(drafted), {"note": "x"}, format="json")
    assert response.status_code == status


def test_anonymous_is_refused(pending):
    api = APIClient()
    assert api.get(signoffs_url(pending.case)).status_code in (401, 403)
    assert api.post(fire_url(pending), {"name": "approve"}, format="json").status_code in (401, 403)


def test_the_leader_cannot_fire_issue_rules_around_the_sign_off(
    api, drafted, office_leader, coordinator
):
    for user in (coordinator, office_leader):
        response = api.as_user(user).post(
            f"/api/v1/cases/{drafted.pk}/transitions/", {"name": "issue_rules"}, format="json"
        )
        assert response.status_code == 400  # no longer a case transition
    with pytest.raises(PermissionDenied):
        rules.case_issue_rules(case=drafted, by=coordinator)  # not the leader: refused
    assert Case.objects.get(pk=drafted.pk).status == Case.Status.DELIBERATED


def test_sign_off_list_shows_the_rounds(api, pending, office_leader, coordinator):
    rules.rule_sign_off_return(sign_off=pending, by=office_leader, remarks="请修改")
    rules.rule_sign_off_submit(case=pending.case, by=coordinator)
    rows = api.as_user(coordinator).get(signoffs_url(pending.case)).json()["results"]
    assert [r["status"] for r in rows] == ["returned", "pending"]
    assert rows[0]["remarks"] == "请修改" and rows[0]["decided_by"]["username"] == "office_leader"


def test_the_rules_card_walks_the_sign_off(as_user, drafted, coordinator, office_leader):
    page = as_user(coordinator).get(f"/cases/{drafted.pk}/").content.decode()
    assert "报请领导签批" in page
    assert (
        as_user(coordinator)
        .post(f"/cases/{drafted.pk}/rules/sign-off/", {"note": "请审"})
        .status_code
        == 302
    )
    sign_off = drafted.rule_sign_offs.get()
    page = as_user(coordinator).get(f"/cases/{drafted.pk}/").content.decode()
    assert "签批前不能修改" in page and "签批同意并发布" not in page
    decide = f"/cases/{drafted.pk}/rules/sign-off/{sign_off.pk}/"
    # A coordinator posting the leader's form is refused and nothing changes.
    as_user(coordinator).post(decide, {"decision": "approve"})
    sign_off.refresh_from_db()
    assert sign_off.status == "pending"
    leader = as_user(office_leader)
    assert "签批同意并发布" in leader.get(f"/cases/{drafted.pk}/").content.decode()
    wrong = leader.post(decide, {"decision": "send_back", "remarks": ""})
    assert wrong.status_code == 400 and "退回须写明签批意见" in wrong.content.decode()
    assert leader.post(decide, {"decision": "maybe"}).status_code == 302
    assert leader.post(decide, {"decision": "approve", "remarks": "同意"}).status_code == 302
    page = leader.get(f"/cases/{drafted.pk}/").content.decode()
    assert "下载实施细则（PDF）" in page and "〔" in page
