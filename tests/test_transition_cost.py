"""A transition costs a fixed, small number of queries, and answers without django-fsm's
`refresh_from_db`, which flips a class-wide flag and made concurrent requests fail with 500."""

import threading
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm import FSMModelMixin
from rest_framework.test import APIClient

from tests import factories

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
# accept: token, case, lock, clock, stop it, save, event, who hears of it (interchange's
# subscribers: one lookup in a small table), answer (3)
MAX_STATEMENTS = 11
SIGN_STATEMENTS = 8  # token, item, lock, item again, save, event, answer (2)


def with_token(user) -> APIClient:
    """A client that signs in as production clients do, with the token header."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_token(user)}")
    return client


def statements_of(client, url, body):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, body, format="json")
    assert response.status_code == 200, response.content
    return [q["sql"] for q in queries if not q["sql"].startswith(TRANSACTION_CONTROL)]


@pytest.mark.django_db
def test_accepting_a_case_takes_at_most_eleven_statements(coordinator, enterprise_user, category):
    case = factories.case(enterprise_user, category=category)
    client = with_token(coordinator)

    statements = statements_of(client, f"/api/v1/cases/{case.pk}/transitions/", {"name": "accept"})

    assert len(statements) <= MAX_STATEMENTS, "\n".join(statements)


@pytest.mark.django_db
def test_signing_for_an_item_takes_at_most_eight_statements(
    coordinator, enterprise_user, category, zigui_org, department_officer
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    item = case.action_items.get()
    client = with_token(department_officer)

    statements = statements_of(
        client, f"/api/v1/action-items/{item.pk}/transitions/", {"name": "sign"}
    )

    assert len(statements) <= SIGN_STATEMENTS, "\n".join(statements)


@pytest.mark.django_db
def test_the_answer_is_read_without_refresh_from_db(
    coordinator, enterprise_user, category, zigui_org, department_officer
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    item = case.action_items.get()
    refresh = mock.patch.object(
        FSMModelMixin, "refresh_from_db", side_effect=AssertionError("refresh_from_db called")
    )

    with refresh:
        signed = with_token(department_officer).post(
            f"/api/v1/action-items/{item.pk}/transitions/", {"name": "sign"}, format="json"
        )

    assert signed.status_code == 200
    assert signed.json()["status"] == "signed"


@pytest.mark.django_db
def test_the_answer_is_what_the_detail_shows_afterwards(
    coordinator, enterprise_user, category, zigui_org, zhujian_org, department_officer
):
    """The answer is read without the visibility rule (the caller was just shown to see the
    object); it must still be exactly the object's detail as the caller reads it next."""
    case = factories.case(enterprise_user, category=category)
    coordinator_client = with_token(coordinator)
    accepted = coordinator_client.post(
        f"/api/v1/cases/{case.pk}/transitions/", {"name": "accept"}, format="json"
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json() == coordinator_client.get(f"/api/v1/cases/{case.pk}/").json()

    case = factories.assigned_case(
        enterprise_user, coordinator, zigui_org, zhujian_org, category=category
    )
    item = case.action_items.get(owner=zigui_org)
    officer = with_token(department_officer)
    signed = officer.post(
        f"/api/v1/action-items/{item.pk}/transitions/", {"name": "sign"}, format="json"
    )
    assert signed.status_code == 200
    assert signed.json()["status"] == "signed"
    assert signed.json() == officer.get(f"/api/v1/action-items/{item.pk}/").json()
    # The case's answer lists every item, the other department's too.
    detail = coordinator_client.get(f"/api/v1/cases/{case.pk}/").json()
    assert len(detail["action_items"]) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_transitions_on_different_cases_all_succeed(
    coordinator, other_coordinator, enterprise_user, category
):
    cases = [factories.case(enterprise_user, category=category) for _ in range(16)]
    tokens = {user.pk: factories.api_token(user) for user in (coordinator, other_coordinator)}
    start = threading.Barrier(len(cases))
    statuses = []

    def accept(case, user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[user.pk]}")
        try:
            start.wait()
            response = client.post(
                f"/api/v1/cases/{case.pk}/transitions/", {"name": "accept"}, format="json"
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(case, (coordinator, other_coordinator)[i % 2]))
        for i, case in enumerate(cases)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [200] * len(cases)
