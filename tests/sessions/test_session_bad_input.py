"""Bad input to the session endpoints is a 400 naming the field, never a 500; anonymous is 401."""

import pytest


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/v1/sessions/",
            {"case": 999999, "title": "x", "scheduled_at": "2030-01-01T09:00"},
            "case",
        ),
        ("/api/v1/sessions/", {"case": "{case}", "title": "x"}, "scheduled_at"),
        (
            "/api/v1/sessions/",
            {"case": "{case}", "title": "x", "scheduled_at": "soon"},
            "scheduled_at",
        ),
        (
            "/api/v1/sessions/",
            {"case": "{case}", "title": "x", "scheduled_at": "2030-01-01T09:00", "agenda": "一项"},
            "agenda",
        ),
        (
            "/api/v1/sessions/",
            {
                "case": "{case}",
                "title": "x",
                "scheduled_at": "2030-01-01T09:00",
                "video_link": "not a url",
            },
            "video_link",
        ),
        ("/api/v1/sessions/{session}/participants/", {"capacity": "king"}, "capacity"),
        (
            "/api/v1/sessions/{session}/participants/",
            {"capacity": "department", "organisation": "abc"},
            "organisation",
        ),
        (
            "/api/v1/sessions/{session}/participants/{participant}/rsvp/",
            {"answer": "maybe"},
            "answer",
        ),
        (
            "/api/v1/sessions/{session}/participants/{participant}/attendance/",
            {"attendance": "late"},
            "attendance",
        ),
        (
            "/api/v1/sessions/{session}/opinions/",
            {"participant": 999999, "stance": "support"},
            "participant",
        ),
        (
            "/api/v1/sessions/{session}/opinions/",
            {"participant": "{participant}", "stance": "meh"},
            "stance",
        ),
        ("/api/v1/sessions/{session}/transitions/", {"name": "fly"}, "name"),
        ("/api/v1/sessions/{session}/transitions/", {"name": "conclude", "summary": ""}, "summary"),
        (
            "/api/v1/cases/{case}/rules/",
            {"title": "x", "owner": "{zigui}", "due_date": "tomorrow"},
            "due_date",
        ),
    ],
)
def test_bad_input_names_the_field(api, coordinator, invited, zigui_org, path, body, field):
    session, parts = invited
    ids = {
        "{case}": session.case_id,
        "{session}": session.pk,
        "{participant}": parts["zigui"].pk,
        "{zigui}": zigui_org.pk,
    }
    for key, value in ids.items():
        path = path.replace(key, str(value))
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = api.as_user(coordinator).post(path, body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sessions/",
        "/api/v1/sessions/{session}/",
        "/api/v1/sessions/{session}/participants/",
        "/api/v1/sessions/{session}/opinions/",
        "/api/v1/sessions/{session}/minutes/",
        "/api/v1/sessions/{session}/transitions/",
        "/api/v1/cases/{case}/rules/",
    ],
)
def test_anonymous_is_refused(client, scheduled, path):
    path = path.replace("{session}", str(scheduled.pk)).replace("{case}", str(scheduled.case_id))
    assert client.get(path, HTTP_ACCEPT="application/json").status_code == 401


def test_an_invisible_case_is_as_unknown_as_a_missing_one(api, other_enterprise_user, scheduled):
    body = {"case": scheduled.case_id, "title": "x", "scheduled_at": "2030-01-01T09:00"}
    response = api.as_user(other_enterprise_user).post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 400
    assert "case" in response.json()["error"]["fields"]


def test_sharing_none_of_the_attachments_works_as_a_form_too(api, coordinator, scheduled):
    """A form cannot send an empty list: leaving the field out shares none (the schema says the
    field is optional, so it must be)."""
    response = api.as_user(coordinator).put(
        f"/api/v1/sessions/{scheduled.pk}/shared-attachments/", {}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"attachments": []}
