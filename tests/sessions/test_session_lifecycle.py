"""The joint session machine and the case's convening route: each transition's guards (409
from a wrong state) and permissions (403 for a wrong role), through the API."""

import pytest

from cases.models import Case
from tests import factories
from workflow.casefile import services as case_services
from workflow.items import services as item_services
from workflow.record.models import Event
from workflow.sessions import services as sessions
from workflow.sessions.models import JointSession

SESSION = {
    "title": "审联体会议",
    "scheduled_at": "2030-04-10T09:30:00+08:00",
    "agenda": ["情况通报", "形成决议"],
    "place": "区行政服务中心",
}


def transitions_url(session):
    return f"/api/v1/sessions/{session.pk}/transitions/"


def test_coordinator_convenes_an_accepted_case_with_its_first_session(
    api, coordinator, accepted_case
):
    url = f"/api/v1/cases/{accepted_case.pk}/transitions/"
    names = [t["name"] for t in api.as_user(coordinator).get(url).json()]
    assert "convene" in names
    response = api.as_user(coordinator).post(url, {"name": "convene", **SESSION}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "convening"
    session = JointSession.objects.get(case=accepted_case)
    assert (session.status, session.agenda) == ("scheduled", ["情况通报", "形成决议"])
    assert list(Event.objects.filter(case=accepted_case).values_list("kind", flat=True))[-2:] == [
        "convene",
        "session_scheduled",
    ]


def test_sessions_post_convenes_too_and_refuses_a_second_open_session(
    api, coordinator, accepted_case
):
    body = {"case": accepted_case.pk, **SESSION}
    first = api.as_user(coordinator).post("/api/v1/sessions/", body, format="json")
    assert first.status_code == 201, first.json()
    assert Case.objects.get(pk=accepted_case.pk).status == "convening"
    second = api.as_user(coordinator).post("/api/v1/sessions/", body, format="json")
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "session_open"


@pytest.mark.parametrize(
    ("persona", "status"),
    # Who does not see the case is told it is unknown (400 on the field), as for a missing one.
    [("enterprise_user", 403), ("department_officer", 400), ("legal_expert", 400)],
)
def test_only_coordinators_convene(api, request, persona, status, accepted_case):
    user = request.getfixturevalue(persona)
    body = {"case": accepted_case.pk, **SESSION}
    assert api.as_user(user).post("/api/v1/sessions/", body, format="json").status_code == status


def test_a_submitted_case_cannot_be_convened(api, coordinator, submitted_case):
    url = f"/api/v1/cases/{submitted_case.pk}/transitions/"
    response = api.as_user(coordinator).post(url, {"name": "convene", **SESSION}, format="json")
    assert response.status_code == 409
    assert not JointSession.objects.exists()


def test_an_implementing_case_is_convened_only_when_an_item_is_blocked(
    api, coordinator, accepted_case, zigui_org, department_officer
):
    case = item_services.case_assign(
        case=accepted_case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": factories.due_in(9)}
        ],
    )
    url = f"/api/v1/cases/{case.pk}/transitions/"
    refused = api.as_user(coordinator).post(url, {"name": "convene", **SESSION}, format="json")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "guard_failed"

    item = case.action_items.get()
    item_services.action_item_sign(item=item, by=department_officer)
    item_services.action_item_block(item=item, by=department_officer, reason="需相邻地块业主配合")
    response = api.as_user(coordinator).post(url, {"name": "convene", **SESSION}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "convening"


def test_notify_needs_participants_and_start_needs_notify(api, coordinator, scheduled):
    url = transitions_url(scheduled)
    assert api.as_user(coordinator).get(url).json() == [
        t for t in api.as_user(coordinator).get(url).json() if t["name"] == "cancel"
    ]
    refused = api.as_user(coordinator).post(url, {"name": "notify"}, format="json")
    assert refused.status_code == 409
    assert "邀请" in refused.json()["error"]["message"]
    early = api.as_user(coordinator).post(url, {"name": "start"}, format="json")
    assert (early.status_code, early.json()["error"]["code"]) == (409, "invalid_state")


def test_notify_sends_invitations_then_start(
    api, coordinator, invited, department_officer, legal_expert
):
    session, _ = invited
    url = transitions_url(session)
    assert api.as_user(coordinator).post(url, {"name": "notify"}, format="json").status_code == 200
    for person in (department_officer, legal_expert):
        assert person.notifications.filter(kind="invitation").count() == 1
    early = api.as_user(coordinator).post(url, {"name": "start"}, format="json")
    assert early.status_code == 400  # the session is two days ahead
    assert "scheduled_at" in early.json()["error"]["fields"]
    factories.meeting_time_comes(session)
    response = api.as_user(coordinator).post(url, {"name": "start"}, format="json")
    assert response.json()["status"] == "in_progress"
    # Required participants are asked for their opinion; the optional legal expert is not.
    assert department_officer.notifications.filter(kind="opinion_requested").count() == 1
    assert not legal_expert.notifications.filter(kind="opinion_requested").exists()


@pytest.mark.parametrize("name", ["notify", "cancel"])
@pytest.mark.parametrize("persona", ["enterprise_user", "department_officer", "legal_expert"])
def test_session_transitions_are_for_coordinators(api, request, invited, persona, name):
    session, _ = invited
    user = request.getfixturevalue(persona)
    response = api.as_user(user).post(
        transitions_url(session), {"name": name, "reason": "x"}, format="json"
    )
    assert response.status_code == 403


def test_cancel_needs_a_reason_and_leaves_the_case_convening(api, coordinator, scheduled):
    url = transitions_url(scheduled)
    missing = api.as_user(coordinator).post(url, {"name": "cancel"}, format="json")
    assert missing.status_code == 400
    assert "reason" in missing.json()["error"]["fields"]
    done = api.as_user(coordinator).post(url, {"name": "cancel", "reason": "改期"}, format="json")
    assert (done.json()["status"], done.json()["outcome_reason"]) == ("cancelled", "改期")
    assert Case.objects.get(pk=scheduled.case_id).status == "convening"


def test_adjourned_session_is_followed_by_a_second_one(coordinator, in_progress):
    session, _ = in_progress
    sessions.session_adjourn(session=session, by=coordinator, reason="需补充测绘资料")
    case = Case.objects.get(pk=session.case_id)
    assert case.status == "convening"
    follow_up = factories.session(case, coordinator, title="第二次审联体会议")
    assert list(case.sessions.values_list("status", flat=True)) == ["scheduled", "adjourned"]
    assert follow_up.status == "scheduled"


def test_cannot_adjourn_a_session_that_has_not_started(api, coordinator, invited):
    session, _ = invited
    response = api.as_user(coordinator).post(
        transitions_url(session), {"name": "adjourn", "reason": "x"}, format="json"
    )
    assert response.status_code == 409


def test_withdrawing_the_case_cancels_its_open_session(enterprise_user, scheduled):
    case = case_services.case_withdraw(case=scheduled.case, by=enterprise_user, reason="已自行解决")
    assert case.status == "withdrawn"
    assert JointSession.objects.get(pk=scheduled.pk).status == "cancelled"


def test_session_list_query_count_does_not_grow_with_page_size(
    api, coordinator, accepted_case, enterprise_user, category, django_assert_num_queries
):
    factories.session(accepted_case, coordinator)
    for _ in range(3):
        case = case_services.case_accept(
            case=factories.case(enterprise_user, category=category), by=coordinator
        )
        factories.session(case, coordinator)
    api.as_user(coordinator)
    for size in (1, 50):
        with django_assert_num_queries(1):
            response = api.get(f"/api/v1/sessions/?page_size={size}")
        assert response.status_code == 200


def test_coordinator_reschedules_before_the_start_and_invitees_are_told(
    api, coordinator, invited, department_officer
):
    session, _ = invited
    url = f"/api/v1/sessions/{session.pk}/"
    sessions.session_notify(session=session, by=coordinator)
    response = api.as_user(coordinator).patch(
        url, {"scheduled_at": "2030-04-12T14:00:00+08:00", "place": "线上"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["place"] == "线上"
    assert department_officer.notifications.filter(kind="invitation").count() == 2
    event = Event.objects.filter(case_id=session.case_id, kind="session_updated").get()
    assert set(event.payload["changes"]) == {"scheduled_at", "place"}
    assert (
        api.as_user(department_officer).patch(url, {"place": "x"}, format="json").status_code == 403
    )
    factories.meeting_time_comes(session)
    sessions.session_start(session=session, by=coordinator)
    late = api.as_user(coordinator).patch(url, {"place": "x"}, format="json")
    assert late.status_code == 409
