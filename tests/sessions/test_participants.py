"""Invitations by capacity, answers (accept / decline / delegate), attendance."""

import pytest

from cases.models import Case
from tests import factories
from workflow.sessions import services as sessions


def participants_url(session):
    return f"/api/v1/sessions/{session.pk}/participants/"


def rsvp(api, user, participant, **body):
    url = f"{participants_url(participant.session)}{participant.pk}/rsvp/"
    return api.as_user(user).post(url, body, format="json")


def test_coordinator_invites_and_the_invited_organisation_sees_the_case(
    api, coordinator, scheduled, zhujian_org, other_department_officer
):
    assert (
        api.as_user(other_department_officer).get(f"/api/v1/cases/{scheduled.case_id}/").status_code
        == 404
    )
    response = api.as_user(coordinator).post(
        participants_url(scheduled),
        {"capacity": "department", "organisation": zhujian_org.pk, "required": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "invited"
    assert (
        api.as_user(other_department_officer).get(f"/api/v1/cases/{scheduled.case_id}/").status_code
        == 200
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"capacity": "department"}, "organisation"),
        ({"capacity": "third_party", "organisation": "zigui"}, "organisation"),
        ({"capacity": "npc_deputy", "person": "legal"}, "person"),
        ({"capacity": "enterprise", "organisation": "other_enterprise"}, "organisation"),
    ],
)
def test_invitation_must_match_the_capacity(
    api, coordinator, scheduled, zigui_org, legal_expert, other_enterprise_org, body, field
):
    ids = {
        "zigui": zigui_org.pk,
        "legal": legal_expert.pk,
        "other_enterprise": other_enterprise_org.pk,
    }
    body = {key: ids.get(value, value) for key, value in body.items()}
    response = api.as_user(coordinator).post(participants_url(scheduled), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_only_coordinators_invite(api, department_officer, invited, zhujian_org):
    session, _ = invited
    response = api.as_user(department_officer).post(
        participants_url(session),
        {"capacity": "department", "organisation": zhujian_org.pk},
        format="json",
    )
    assert response.status_code == 403


def test_answers_wait_for_the_invitations(api, invited, department_officer):
    _, parts = invited
    assert rsvp(api, department_officer, parts["zigui"], answer="accepted").status_code == 409


def test_invitee_accepts_declines_or_delegates_to_a_colleague(
    api, coordinator, invited, department_officer, department_leader, legal_expert, zhujian_org
):
    session, parts = invited
    sessions.session_notify(session=session, by=coordinator)
    assert rsvp(api, legal_expert, parts["legal"], answer="accepted").json()["status"] == "accepted"
    outsider = factories.user("zhujian_x", zhujian_org)
    bad = rsvp(api, department_officer, parts["zigui"], answer="delegated", delegate=outsider.pk)
    assert bad.status_code == 400 and "delegate" in bad.json()["error"]["fields"]
    response = rsvp(
        api, department_officer, parts["zigui"], answer="delegated", delegate=department_leader.pk
    )
    assert response.json()["status"] == "delegated"
    assert response.json()["delegate"]["id"] == department_leader.pk
    declined = rsvp(api, legal_expert, parts["legal"], answer="declined", note="出差")
    assert declined.json()["status"] == "declined"


def test_only_the_invitee_answers(
    api, coordinator, invited, other_department_officer, legal_expert
):
    session, parts = invited
    sessions.session_notify(session=session, by=coordinator)
    assert rsvp(api, legal_expert, parts["zigui"], answer="accepted").status_code == 403
    # 住建局 was not invited: it does not see the session at all.
    assert rsvp(api, other_department_officer, parts["zigui"], answer="accepted").status_code == 404


def test_attendance_is_marked_by_the_coordinator_during_the_session(
    api, coordinator, invited, department_officer
):
    session, parts = invited
    url = f"{participants_url(session)}{parts['zigui'].pk}/attendance/"
    early = api.as_user(coordinator).post(url, {"attendance": "present"}, format="json")
    assert early.status_code == 409
    sessions.session_notify(session=session, by=coordinator)
    factories.meeting_time_comes(session)
    sessions.session_start(session=session, by=coordinator)
    assert (
        api.as_user(department_officer)
        .post(url, {"attendance": "present"}, format="json")
        .status_code
        == 403
    )
    response = api.as_user(coordinator).post(url, {"attendance": "present"}, format="json")
    assert response.json()["attendance"] == "present"
    assert Case.objects.get(pk=session.case_id).status == "convening"


def test_participant_list_query_count(api, coordinator, invited, django_assert_num_queries):
    session, _ = invited
    api.as_user(coordinator)
    for size in (1, 50):
        with django_assert_num_queries(2):
            assert api.get(f"{participants_url(session)}?page_size={size}").status_code == 200
