"""A form that fails is shown at its POST address; the page names its own address
(`<body data-canonical>`) so the browser shows and refreshes that one (pages.js)."""

import html
import re

import pytest

from tests import factories
from workflow.items import services as item_services

pytestmark = pytest.mark.django_db


def canonical(response) -> str:
    found = re.search(r'<body data-canonical="([^"]*)"', response.content.decode())
    return html.unescape(found.group(1))


def test_failed_rule_form_names_the_case_page(as_user, concluded, coordinator):
    case = concluded[0].case
    response = as_user(coordinator).post(f"/cases/{case.pk}/rules/", {"title": ""})
    assert response.status_code == 400
    assert canonical(response) == f"/cases/{case.pk}/"


def test_failed_comment_returns_to_the_case_page_with_its_error(
    as_user, accepted_case, coordinator
):
    client = as_user(coordinator)
    response = client.post(
        f"/cases/{accepted_case.pk}/comments/", {"body": "", "visibility": "internal"}
    )
    assert response.status_code == 302
    assert response.url == f"/cases/{accepted_case.pk}/#comment-form"
    page = client.get(f"/cases/{accepted_case.pk}/")
    assert canonical(page) == f"/cases/{accepted_case.pk}/"
    assert "留言内容不能为空。" in page.content.decode()


def test_failed_case_transition_names_the_case_page(as_user, accepted_case, coordinator):
    response = as_user(coordinator).post(
        f"/cases/{accepted_case.pk}/transitions/convene/", {"title": "", "scheduled_at": ""}
    )
    assert response.status_code == 400
    assert canonical(response) == f"/cases/{accepted_case.pk}/"


def test_failed_item_transition_names_the_item_page(
    as_user, accepted_case, coordinator, zigui_org, department_officer
):
    item_services.case_assign(
        case=accepted_case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": factories.due_in(20)}
        ],
    )
    item = accepted_case.action_items.get()
    response = as_user(department_officer).post(
        f"/items/{item.pk}/transitions/return/", {"reason": ""}
    )
    assert response.status_code == 400
    assert canonical(response) == f"/items/{item.pk}/"


def test_failed_session_form_names_the_session_page(as_user, scheduled, coordinator):
    response = as_user(coordinator).post(f"/sessions/{scheduled.pk}/participants/", {})
    assert response.status_code == 400
    assert canonical(response) == f"/sessions/{scheduled.pk}/"


def test_a_page_read_names_its_own_address(as_user, coordinator):
    response = as_user(coordinator).get("/cases/?tab=all&q=%E7%AE%A1")
    assert canonical(response) == "/cases/?tab=all&q=%E7%AE%A1"


def test_the_language_switch_returns_to_the_page_not_the_post_address(
    as_user, accepted_case, coordinator
):
    response = as_user(coordinator).post(
        f"/cases/{accepted_case.pk}/transitions/convene/", {"title": "", "scheduled_at": ""}
    )
    assert f'name="next" type="hidden" value="/cases/{accepted_case.pk}/"' in (
        response.content.decode()
    )
