"""Issued documents as PDF: the minutes of a session and the signed-off implementation rules,
each with its document number (文号), allocated once per document and counted per office and
year; Chinese text that a PDF reader (pypdf here) reads back."""

import io

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from tests import factories
from workflow.documents.models import IssuedDocument
from workflow.documents.services import document_issue
from workflow.implementation import services as rules

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> tuple[str, dict]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), dict(reader.metadata)


@pytest.fixture
def issued(concluded, coordinator, office_leader, kaitou_org):
    session, _ = concluded
    rules.rule_item_add(
        case=session.case,
        by=coordinator,
        title="编制市政配套工程方案并报资规局审批",
        owner=kaitou_org,
        deliverable="报批方案",
        due_date=factories.due_in(20),
    )
    return factories.issue_rules(session.case, by=coordinator, leader=office_leader)


def test_the_rules_pdf_has_its_number_the_chinese_title_and_the_signature(
    api, issued, enterprise_user
):
    response = api.as_user(enterprise_user).get(f"/api/v1/cases/{issued.pk}/rules/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    document = IssuedDocument.objects.get(case=issued, kind="rules")
    text, meta = pdf_text(response.content)
    assert f"〔{document.year}〕1号" in text
    assert f"关于“{issued.title}”的实施细则" in text.replace("\n", "")
    assert "编制市政配套工程方案并报资规局审批" in text.replace("\n", "")
    assert "签发人：office_leader" in text and document.office.name in text
    assert meta["/Subject"] == document.number


def test_the_minutes_pdf_is_numbered_once(api, as_user, issued, coordinator, department_officer):
    session = issued.sessions.get()
    first = api.as_user(department_officer).get(f"/api/v1/sessions/{session.pk}/minutes/pdf/")
    assert first.status_code == 200
    again = as_user(coordinator).get(f"/sessions/{session.pk}/minutes.pdf")
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf"
    document = IssuedDocument.objects.get(session=session)
    # The rules took number 1 at the sign-off; the minutes the next, and keep it.
    assert (document.kind, document.serial) == ("minutes", 2)
    text, _ = pdf_text(again.content)
    assert document.number in text and "审联体会议纪要" in text.replace("\n", "")
    assert "《中华人民共和国城乡规划法》第四十条" in text.replace("\n", "")
    assert IssuedDocument.objects.filter(session=session).count() == 1


def test_numbers_count_per_office_and_year(issued, office, coordinator):
    first = IssuedDocument.objects.get(case=issued)
    session = issued.sessions.get()
    minutes = document_issue(kind="minutes", case=issued, office=office, session=session)
    assert (first.serial, minutes.serial) == (1, 2)
    # Asking again returns the same document: a number is allocated once.
    assert document_issue(kind="minutes", case=issued, office=office, session=session) == minutes
    other = factories.organisation("另一政务服务办", kind="office")
    elsewhere = document_issue(kind="rules", case=issued, office=other, sign_off=None)
    assert (elsewhere.office, elsewhere.serial) == (other, 1)
    # Next year starts again from 1.
    IssuedDocument.objects.filter(pk=first.pk).update(year=first.year - 1)
    assert IssuedDocument.objects.filter(office=office, year=first.year).count() == 1


def test_no_pdf_before_the_rules_are_signed_off_or_the_session_ends(
    api, as_user, scheduled, coordinator
):
    case = scheduled.case
    response = api.as_user(coordinator).get(f"/api/v1/cases/{case.pk}/rules/pdf/")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")
    response = api.as_user(coordinator).get(f"/api/v1/sessions/{scheduled.pk}/minutes/pdf/")
    assert response.status_code == 409
    page = as_user(coordinator).get(f"/sessions/{scheduled.pk}/minutes.pdf")
    assert page.status_code == 302  # back to the minutes, with the reason


def test_documents_follow_visibility(api, issued, other_enterprise_user, other_department_officer):
    session = issued.sessions.get()
    for user in (other_enterprise_user, other_department_officer):
        assert api.as_user(user).get(f"/api/v1/cases/{issued.pk}/rules/pdf/").status_code == 404
        url = f"/api/v1/sessions/{session.pk}/minutes/pdf/"
        assert api.as_user(user).get(url).status_code == 404
    anonymous = APIClient().get(f"/api/v1/cases/{issued.pk}/rules/pdf/")
    assert anonymous.status_code in (401, 403)


def test_download_links_on_the_rules_card_and_the_minutes_page(as_user, issued, coordinator):
    session = issued.sessions.get()
    page = as_user(coordinator).get(f"/cases/{issued.pk}/").content.decode()
    assert f"/cases/{issued.pk}/rules.pdf" in page
    minutes = as_user(coordinator).get(f"/sessions/{session.pk}/minutes/").content.decode()
    assert f"/sessions/{session.pk}/minutes.pdf" in minutes
