"""Bad input is a 4xx naming the field, in the one error shape, and changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Attachment, Case
from tests import factories
from workflow.record.models import Event

GOOD_CASE = {"title": "供水管线迁改", "description": "地块内供水管线需迁改"}


def file_case(api, user, category, changes):
    body = {**GOOD_CASE, "category": category.pk, "submit": True, **changes}
    body = {key: value for key, value in body.items() if value is not ...}
    return api.as_user(user).post("/api/v1/cases/", body, format="json")


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"title": ...}, "title"),
        ({"description": ...}, "description"),
        ({"category": ...}, "category"),
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"title": 12345678}, None),  # a number is taken as text: accepted
        ({"title": ["a list"]}, "title"),
        ({"title": "含有\x00空字符"}, "title"),
        ({"category": "municipal"}, "category"),
        ({"category": 10**30}, "category"),
        ({"category": 999999}, "category"),
        ({"urgency": "yesterday"}, "urgency"),
        ({"desired_date": "2026-02-30"}, "desired_date"),
        ({"desired_date": 20261231}, "desired_date"),
        ({"submit": "perhaps"}, "submit"),
    ],
)
def test_filing_with_a_bad_field_is_a_400_naming_it(api, enterprise_user, category, changes, field):
    response = file_case(api, enterprise_user, category, changes)

    if field is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] and error["message"]
    assert field in error["fields"], error
    assert not Case.objects.exists()


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "null", '{"title": '])
def test_a_body_that_is_not_a_json_object_is_a_400(api, enterprise_user, body):
    response = api.as_user(enterprise_user).post(
        "/api/v1/cases/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"name": "teleport"}, "name"),
        ({"name": None}, "name"),
        ({"name": 7}, "name"),
        ({}, "name"),
        ({"name": "assign"}, "assignments"),
        ({"name": "assign", "assignments": []}, "assignments"),
        ({"name": "assign", "assignments": "资规局"}, "assignments"),
        ({"name": "assign", "assignments": [{"organisation": 10**30}]}, "assignments"),
        (
            {"name": "assign", "assignments": [{"title": "x", "due_date": "2030-01-01"}]},
            "assignments",
        ),
        ({"name": "return_for_info"}, "reason"),
        ({"name": "return_for_info", "reason": "   "}, "reason"),
        ({"name": "return_for_info", "reason": "\x00"}, "reason"),
        ({"name": "reject", "reason": "长" * 2001}, "reason"),
    ],
)
def test_a_bad_transition_request_is_a_400_and_changes_nothing(
    api, coordinator, submitted_case, body, field
):
    if body.get("name") == "assign":  # assign needs an accepted case
        Case.objects.filter(pk=submitted_case.pk).update(status="accepted")
    status_before = Case.objects.get(pk=submitted_case.pk).status
    events_before = Event.objects.count()

    response = api.as_user(coordinator).post(
        f"/api/v1/cases/{submitted_case.pk}/transitions/", body, format="json"
    )

    assert response.status_code == 400, response.json()
    assert any(name.startswith(field) for name in response.json()["error"]["fields"])
    assert Case.objects.get(pk=submitted_case.pk).status == status_before
    assert Event.objects.count() == events_before


def test_an_assignment_to_an_enterprise_is_refused(
    api, coordinator, submitted_case, other_enterprise_org
):
    Case.objects.filter(pk=submitted_case.pk).update(status="accepted")
    response = api.as_user(coordinator).post(
        f"/api/v1/cases/{submitted_case.pk}/transitions/",
        {
            "name": "assign",
            "assignments": [
                {"organisation": other_enterprise_org.pk, "title": "x", "due_date": "2030-01-01"}
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert not submitted_case.action_items.exists()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    "name,content",
    [
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 200),  # a Windows program named .pdf
        ("photo.png", b"<script>alert(1)</script>"),
        ("empty.pdf", b""),
    ],
)
def test_a_disguised_or_empty_upload_is_refused(
    api, enterprise_user, submitted_case, name, content
):
    response = api.as_user(enterprise_user).post(
        f"/api/v1/cases/{submitted_case.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    assert not Attachment.objects.exists()


def test_an_oversized_upload_is_refused(api, settings, enterprise_user, submitted_case):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = api.as_user(enterprise_user).post(
        f"/api/v1/cases/{submitted_case.pk}/attachments/",
        {"file": SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    assert not Attachment.objects.exists()


def test_a_real_pdf_is_stored_under_a_random_name_and_downloads_intact(
    api, enterprise_user, submitted_case
):
    response = api.as_user(enterprise_user).post(
        f"/api/v1/cases/{submitted_case.pk}/attachments/",
        {"file": SimpleUploadedFile("../../红线图.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    attachment = Attachment.objects.get()
    assert "红线图" not in attachment.file.name and ".." not in attachment.file.name
    download = api.get(f"/api/v1/cases/{submitted_case.pk}/attachments/{attachment.pk}/download/")
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize("query", ["page_size=abc", "page_size=-1", "page_size=0", "page_size=1.5"])
def test_a_bad_page_size_is_a_400_naming_it(api, coordinator, submitted_case, query):
    response = api.as_user(coordinator).get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400
    assert "page_size" in response.json()["error"]["fields"]


@pytest.mark.parametrize("query,rows", [("page_size=1", 1), ("page_size=99999999999", 2)])
def test_a_page_size_above_the_maximum_gives_the_maximum(
    api, coordinator, enterprise_user, category, query, rows
):
    for _ in range(2):
        factories.case(enterprise_user, category=category, submit=True)
    response = api.as_user(coordinator).get(f"/api/v1/cases/?{query}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize(
    "query,status",
    [
        ("cursor=garbage", 404),
        ("status=flying", 400),
        ("created_after=notadate", 400),
        ("category=abc", 400),
        ("overdue=maybe", 400),
    ],
)
def test_a_bad_list_filter_is_a_4xx(api, coordinator, submitted_case, query, status):
    response = api.as_user(coordinator).get(f"/api/v1/cases/?{query}")
    assert response.status_code == status, (query, response.json())
    assert response.json()["error"]["code"]
