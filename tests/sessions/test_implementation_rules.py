"""Implementation rules: drafted while deliberated, issued as action items, then amended only
with a reason (a new version, in the events)."""

import pytest

from cases.models import Case
from tests import factories
from workflow.deadlines.models import Clock
from workflow.implementation import services as rules
from workflow.record.models import Event


def rules_url(case_id):
    return f"/api/v1/cases/{case_id}/rules/"


def add(api, user, case_id, owner, title="相邻地块配套工程报批", due="2030-05-10"):
    body = {"title": title, "owner": owner.pk, "deliverable": "批复文件", "due_date": due}
    return api.as_user(user).post(rules_url(case_id), body, format="json")


def issue(api, user, case_id):
    """Submit the drafts for sign-off, and have the office leader approve them (which issues
    them); the submission's answer when it is refused."""
    submitted = api.as_user(user).post(f"{rules_url(case_id)}sign-offs/", {}, format="json")
    if submitted.status_code != 201:
        return submitted
    leader = factories.office_leader_of(user)
    return api.as_user(leader).post(
        f"/api/v1/rule-sign-offs/{submitted.json()['id']}/transitions/",
        {"name": "approve"},
        format="json",
    )


def test_rules_are_drafted_only_while_deliberated(api, coordinator, quorate, zigui_org):
    session, _ = quorate
    response = add(api, coordinator, session.case_id, zigui_org)
    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")


def test_only_coordinators_draft_rules(api, department_officer, concluded, zigui_org):
    session, _ = concluded
    assert add(api, department_officer, session.case_id, zigui_org).status_code == 403


def test_rule_owner_is_a_department_or_third_party(api, coordinator, concluded, enterprise_org):
    session, _ = concluded
    response = add(api, coordinator, session.case_id, enterprise_org)
    assert response.status_code == 400
    assert "owner" in response.json()["error"]["fields"]


def test_issue_rules_needs_at_least_one_item(api, coordinator, concluded):
    session, _ = concluded
    response = issue(api, coordinator, session.case_id)
    assert response.status_code == 409
    assert "细则草案" in response.json()["error"]["message"]


def test_drafts_are_numbered_edited_and_issued_as_action_items(
    api, coordinator, concluded, kaitou_org, zigui_org, enterprise_user
):
    session, _ = concluded
    case_id = session.case_id
    first = add(api, coordinator, case_id, kaitou_org, "编制市政配套工程方案并报批").json()
    second = add(api, coordinator, case_id, zigui_org, "审批配套工程规划许可").json()
    assert (first["number"], second["number"]) == (1, 2)
    assert first["session"] == session.pk
    edited = api.as_user(coordinator).patch(
        f"{rules_url(case_id)}{second['id']}/", {"due_date": "2030-06-03"}, format="json"
    )
    assert (edited.json()["due_date"], edited.json()["version"]) == ("2030-06-03", 1)

    assert issue(api, enterprise_user, case_id).status_code == 403
    response = issue(api, coordinator, case_id)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    case = api.as_user(coordinator).get(f"/api/v1/cases/{case_id}/").json()
    assert case["status"] == "implementing"
    assert case["progress"] == {"done": 0, "total": 2}
    listed = api.as_user(enterprise_user).get(rules_url(case_id)).json()["results"]
    assert [r["action_item_status"] for r in listed] == ["assigned", "assigned"]
    assert all(r["published_at"] for r in listed)
    assert [i["title"] for i in case["action_items"]] == [r["title"] for r in listed]


def test_published_rules_change_only_by_amendment(
    api, coordinator, concluded, kaitou_org, third_party_officer
):
    session, _ = concluded
    case_id = session.case_id
    item = add(api, coordinator, case_id, kaitou_org).json()
    issue(api, coordinator, case_id)
    url = f"{rules_url(case_id)}{item['id']}/"
    no_reason = api.as_user(coordinator).patch(url, {"due_date": "2030-07-01"}, format="json")
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["error"]["fields"]
    assert api.as_user(coordinator).delete(url).status_code == 409

    amended = (
        api.as_user(coordinator)
        .patch(url, {"due_date": "2030-07-01", "reason": "报批材料需补充测绘"}, format="json")
        .json()
    )
    assert amended["version"] == 2
    assert amended["amendments"][0]["changes"] == {"due_date": ["2030-05-10", "2030-07-01"]}
    action_item = (
        api.as_user(third_party_officer)
        .get(f"/api/v1/action-items/{amended['action_item']}/")
        .json()
    )
    assert action_item["due_date"] == "2030-07-01"
    clock = Clock.objects.get(action_item_id=amended["action_item"])
    assert clock.due.isoformat() == "2030-07-01"
    event = Event.objects.filter(case_id=case_id, kind="rule_item_amended").get()
    assert event.payload["reason"] == "报批材料需补充测绘"


def test_a_draft_can_be_deleted(api, coordinator, concluded, kaitou_org):
    session, _ = concluded
    item = add(api, coordinator, session.case_id, kaitou_org).json()
    url = f"{rules_url(session.case_id)}{item['id']}/"
    assert api.as_user(coordinator).delete(url).status_code == 204
    assert api.as_user(coordinator).get(rules_url(session.case_id)).json()["results"] == []


def test_the_enterprise_may_withdraw_a_deliberated_case(enterprise_user, concluded):
    from workflow.casefile.services import case_withdraw

    session, _ = concluded
    case = case_withdraw(case=session.case, by=enterprise_user, reason="已自行解决")
    assert case.status == "withdrawn"


def test_rules_list_query_count(api, coordinator, concluded, kaitou_org, django_assert_num_queries):
    session, _ = concluded
    for n in range(3):
        rules.rule_item_add(
            case=session.case,
            by=coordinator,
            title=f"第{n}项",
            owner=kaitou_org,
            due_date=factories.due_in(20),
        )
    api.as_user(coordinator)
    for size in (1, 50):
        with django_assert_num_queries(3):
            response = api.get(f"{rules_url(session.case_id)}?page_size={size}")
        assert response.status_code == 200


@pytest.fixture
def on_day(settings, monkeypatch):
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)

    def move(day):
        settings.SHENLIANTI_TODAY = day.isoformat()

    return move


def test_convene_and_issue_rules_clocks(
    on_day,
    coordinator,
    accepted_case,
    department_officer,
    third_party_officer,
    kaitou_org,
    zigui_org,
    legal_expert,
):
    import datetime

    from workflow.sessions import opinions as session_opinions
    from workflow.sessions import participants as session_participants
    from workflow.sessions import services as sessions

    D = datetime.date
    on_day(D(2026, 4, 1))  # Wednesday; Qingming holiday 4-6 April 2026
    session = factories.session(accepted_case, coordinator)
    convene = Clock.objects.get(case=accepted_case, kind="convene")
    assert (convene.started, convene.limit_days, convene.state) == (D(2026, 4, 1), 5, "running")
    assert convene.due == D(2026, 4, 9)  # Monday 6 April is the Qingming holiday
    invite = session_participants.participant_invite
    part = invite(
        session=session,
        by=coordinator,
        capacity="third_party",
        organisation=kaitou_org,
        required=True,
    )
    sessions.session_notify(session=session, by=coordinator)
    factories.meeting_time_comes(session)
    sessions.session_start(session=session, by=coordinator)
    session_participants.participant_mark_attendance(
        participant=part, by=coordinator, attendance="present"
    )
    session_opinions.opinion_record(participant=part, by=third_party_officer, stance="support")

    on_day(D(2026, 4, 9))
    sessions.session_conclude(session=session, by=coordinator, summary="决议", legal_basis="依据")
    convene.refresh_from_db()
    assert (convene.stopped, convene.state) == (D(2026, 4, 9), "met")
    issue_clock = Clock.objects.get(case=accepted_case, kind="issue_rules")
    assert (issue_clock.started, issue_clock.limit_days) == (D(2026, 4, 9), 3)
    assert issue_clock.due == D(2026, 4, 14)

    rules.rule_item_add(
        case=accepted_case, by=coordinator, title="报批", owner=kaitou_org, due_date=D(2026, 5, 12)
    )
    on_day(D(2026, 4, 15))
    factories.issue_rules(accepted_case, by=coordinator)
    issue_clock.refresh_from_db()
    assert (issue_clock.stopped, issue_clock.state) == (D(2026, 4, 15), "missed")
    assert Case.objects.get(pk=accepted_case.pk).status == "implementing"


def test_a_rule_is_due_on_a_future_working_day(api, coordinator, concluded, kaitou_org):
    session, _ = concluded
    case_id = session.case_id
    past = add(api, coordinator, case_id, kaitou_org, due="2020-01-06")
    assert past.status_code == 400
    assert "due_date" in past.json()["error"]["fields"]
    saturday = add(api, coordinator, case_id, kaitou_org, due="2030-05-11")
    assert saturday.status_code == 400
    assert "due_date" in saturday.json()["error"]["fields"]
    assert not Event.objects.filter(case_id=case_id, kind="rule_item_added").exists()

    item = add(api, coordinator, case_id, kaitou_org).json()
    url = f"{rules_url(case_id)}{item['id']}/"
    moved = api.as_user(coordinator).patch(url, {"due_date": "2020-01-06"}, format="json")
    assert moved.status_code == 400
    assert "due_date" in moved.json()["error"]["fields"]
    assert api.as_user(coordinator).get(url).json()["due_date"] == "2030-05-10"
