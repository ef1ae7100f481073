"""Who sees a session, and how much of its case: representatives only the sessions they are
invited to (not the case); invited organisations the case too; the enterprise its own case's
sessions, resolution and rules; nobody else anything (404)."""

import pytest

PERSONAS = [
    # persona, sees the session, sees the case (and so its rules)
    ("coordinator", True, True),
    ("department_officer", True, True),  # 资规局, invited
    ("third_party_officer", True, True),  # 海曙开投集团, invited
    ("legal_expert", True, False),  # invited representative: the session only
    ("citizen_rep", False, False),  # a representative not invited
    ("other_department_officer", False, False),  # 住建局, not invited
    ("enterprise_user", True, True),  # the filing enterprise
    ("other_enterprise_user", False, False),
]


@pytest.mark.parametrize(("persona", "sees_session", "sees_case"), PERSONAS)
def test_visibility_matrix(api, request, concluded, persona, sees_session, sees_case):
    session, _ = concluded
    user = request.getfixturevalue(persona)
    client = api.as_user(user)
    expected = 200 if sees_session else 404
    for path in ("", "participants/", "opinions/", "transitions/"):
        assert client.get(f"/api/v1/sessions/{session.pk}/{path}").status_code == expected, path
    listed = [s["id"] for s in client.get("/api/v1/sessions/").json()["results"]]
    assert (session.pk in listed) == sees_session
    case_status = 200 if sees_case else 404
    assert client.get(f"/api/v1/cases/{session.case_id}/").status_code == case_status
    assert client.get(f"/api/v1/cases/{session.case_id}/rules/").status_code == case_status


def test_enterprise_sees_the_resolution(api, enterprise_user, concluded):
    session, _ = concluded
    body = api.as_user(enterprise_user).get(f"/api/v1/sessions/{session.pk}/").json()
    assert body["resolution"]["summary"] == "由相邻地块的海曙开投集团报资规局审批实施"


def test_a_delegate_sees_the_session(
    api, coordinator, invited, department_officer, department_leader
):
    from workflow.sessions import participants as session_participants
    from workflow.sessions import services as sessions

    session, parts = invited
    sessions.session_notify(session=session, by=coordinator)
    session_participants.participant_rsvp(
        participant=parts["zigui"],
        by=department_officer,
        answer="delegated",
        delegate=department_leader,
    )
    response = api.as_user(department_leader).get(f"/api/v1/sessions/{session.pk}/")
    assert response.status_code == 200
