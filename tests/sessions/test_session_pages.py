"""The joint session pages (tests/test_pages.py has the others): convene, invite, RSVP,
attendance, opinions, the quorum checklist, conclude, minutes, and the rules editor."""

import pytest

from cases.models import Case
from tests import factories
from workflow.implementation.models import RuleItem
from workflow.sessions.models import JointSession

pytestmark = pytest.mark.django_db


def test_coordinator_convenes_from_the_case_page(as_user, coordinator, accepted_case):
    client = as_user(coordinator)
    url = f"/cases/{accepted_case.pk}/transitions/convene/"
    response = client.post(url, {"title": "", "scheduled_at": ""})
    assert response.status_code == 400
    assert 'id="case-convene-title-errors"' in response.content.decode()
    response = client.post(
        url,
        {
            "title": "园区市政配套审联体会议",
            "scheduled_at": "2030-04-10T09:30",
            "agenda": "介绍情况\n各方发表意见",
            "place": "区政务服务中心 3 楼",
            "video_link": "",
        },
    )
    assert response.status_code == 302
    session = JointSession.objects.get(case=accepted_case)
    assert session.agenda == ["介绍情况", "各方发表意见"]
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "园区市政配套审联体会议" in page and "各方发表意见" in page


def test_session_board_for_each_role(
    as_user, invited, coordinator, department_officer, legal_expert, other_enterprise_user
):
    session, _parts = invited
    for user in (coordinator, department_officer, legal_expert):
        assert as_user(user).get(f"/sessions/{session.pk}/").status_code == 200
        assert as_user(user).get("/sessions/").status_code == 200
    assert as_user(other_enterprise_user).get(f"/sessions/{session.pk}/").status_code == 404


def test_invite_rsvp_and_invitation_on_home(
    as_user, scheduled, coordinator, zigui_org, department_officer
):
    client = as_user(coordinator)
    response = client.post(f"/sessions/{scheduled.pk}/participants/", {})
    assert response.status_code == 400
    assert "请至少选择一个参会方" in response.content.decode()
    token = f"department:o:{zigui_org.pk}"
    response = client.post(
        f"/sessions/{scheduled.pk}/participants/", {"invitations": [token], "required": [token]}
    )
    assert response.status_code == 302
    participant = scheduled.participants.get()
    assert participant.required
    client.post(f"/sessions/{scheduled.pk}/transitions/notify/")
    officer = as_user(department_officer)
    assert scheduled.title in officer.get("/").content.decode()
    response = officer.post(
        f"/sessions/{scheduled.pk}/participants/{participant.pk}/rsvp/", {"answer": "accepted"}
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.status == "accepted"


def test_attendance_opinions_quorum_and_conclude(
    as_user, in_progress, coordinator, department_officer, third_party_officer, zigui_org
):
    session, parts = in_progress
    client = as_user(coordinator)
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert "未到会" in page and "未发表意见" in page  # the quorum checklist
    for key in ("zigui", "kaitou"):
        url = f"/sessions/{session.pk}/participants/{parts[key].pk}/attendance/"
        assert client.post(url, {"attendance": "present"}).status_code == 302
    officer = as_user(department_officer)
    url = f"/sessions/{session.pk}/participants/{parts['zigui'].pk}/opinions/"
    response = officer.post(url, {"stance": "object", "reasons": ""})
    assert response.status_code == 400  # objecting needs reasons
    assert officer.post(url, {"stance": "support", "reasons": "同意"}).status_code == 302
    # Not quorate yet: 开投 has no opinion; the refusal names what is missing.
    client = as_user(coordinator)
    response = client.post(
        f"/sessions/{session.pk}/transitions/conclude/",
        {"summary": "由海曙开投集团报资规局审批实施", "legal_basis": "城乡规划法"},
        follow=True,
    )
    assert "未发表意见" in response.content.decode()
    third = as_user(third_party_officer)
    url = f"/sessions/{session.pk}/participants/{parts['kaitou'].pk}/opinions/"
    assert third.post(url, {"stance": "support"}).status_code == 302
    client = as_user(coordinator)
    response = client.post(
        f"/sessions/{session.pk}/transitions/conclude/",
        {
            "summary": "由海曙开投集团报资规局审批实施",
            "legal_basis": "《城乡规划法》第四十条",
            "responsible_organisations": [zigui_org.pk],
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == JointSession.Status.CONCLUDED
    minutes = client.get(f"/sessions/{session.pk}/minutes/").content.decode()
    assert "会议纪要" in minutes and "《城乡规划法》第四十条" in minutes


def test_rules_editor_add_issue_and_amend(
    as_user, concluded, coordinator, kaitou_org, enterprise_user
):
    session, _parts = concluded
    case = session.case
    client = as_user(coordinator)
    assert client.post(f"/cases/{case.pk}/rules/", {"title": ""}).status_code == 400
    due = factories.due_in(30).isoformat()
    response = client.post(
        f"/cases/{case.pk}/rules/",
        {"title": "报资规局审批并实施市政配套", "owner": kaitou_org.pk, "due_date": due},
    )
    assert response.status_code == 302
    rule = RuleItem.objects.get(case=case)
    assert client.post(f"/cases/{case.pk}/rules/sign-off/", {"note": ""}).status_code == 302
    sign_off = case.rule_sign_offs.get()
    leader = as_user(factories.office_leader_of(coordinator))
    decide = f"/cases/{case.pk}/rules/sign-off/{sign_off.pk}/"
    assert leader.post(decide, {"decision": "approve"}).status_code == 302
    client = as_user(coordinator)
    case.refresh_from_db()
    assert case.status == Case.Status.IMPLEMENTING
    amend = {"title": rule.title, "due_date": factories.due_in(40).isoformat(), "reason": ""}
    assert client.post(f"/cases/{case.pk}/rules/{rule.pk}/", amend).status_code == 400
    amend["reason"] = "施工窗口调整"
    assert client.post(f"/cases/{case.pk}/rules/{rule.pk}/", amend).status_code == 302
    rule.refresh_from_db()
    assert rule.version == 2
    assert as_user(enterprise_user).post(f"/cases/{case.pk}/rules/", {}).status_code == 403
    assert (
        "报资规局审批并实施市政配套"
        in as_user(enterprise_user).get(f"/cases/{case.pk}/").content.decode()
    )


def test_session_board_query_count(as_user, invited, coordinator, django_assert_max_num_queries):
    session, _parts = invited
    client = as_user(coordinator)
    with django_assert_max_num_queries(25):
        assert client.get(f"/sessions/{session.pk}/").status_code == 200


def test_only_coordinators_convene_and_invite(as_user, enterprise_user, accepted_case, scheduled):
    client = as_user(enterprise_user)
    url = f"/cases/{accepted_case.pk}/transitions/convene/"
    assert client.post(url, {"title": "x", "scheduled_at": "2030-01-01T09:00"}).status_code == 403
    response = client.post(f"/sessions/{scheduled.pk}/participants/", {"invitations": []})
    assert response.status_code == 403
