"""A transition costs a fixed, small number of queries, leaves nothing written when any part
of it fails (its answer included), and answers without django-fsm's `refresh_from_db`, which
flips a class-wide flag and made concurrent requests fail with 500."""

import threading
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm import FSMModelMixin
from rest_framework.test import APIClient

from cases.models import Case
from tests import factories
from workflow.casefile.api import CaseTransitionsView
from workflow.deadlines.models import Clock
from workflow.items.api import ActionItemTransitionsView
from workflow.items.models import ActionItem
from workflow.record.models import Event

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
# accept: the visible case locked (1), its open clocks (2), the one that stops (3), the case
# saved (4), its event (5), the external systems that hear of it (interchange's subscribers,
# a small table: 6), the answer: the case row, its items, its clocks (7–9); and the token,
# unless the token cache holds it.
ACCEPT_STATEMENTS = 9
# sign: the case of the visible item locked (1), the item with its owner locked (2), saved (3),
# its event (4), its evidence for the answer (5); and the token, unless cached.
SIGN_STATEMENTS = 5


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


@pytest.fixture(params=[False, True], ids=["token-read", "token-cached"])
def token_cache(request, settings):
    """Each count with the token read from the database, and from the token cache."""
    settings.API_TOKEN_CACHE_SECONDS = 30 if request.param else 0
    caches["tokens"].clear()
    yield 0 if request.param else 1
    caches["tokens"].clear()


def warmed(client):
    """The client's token in the cache (when it is on), as after its first request."""
    assert client.get("/api/v1/me/").status_code == 200
    return client


@pytest.mark.django_db
def test_accepting_a_case_takes_nine_statements_and_the_token(
    token_cache, coordinator, enterprise_user, category
):
    case = factories.case(enterprise_user, category=category)
    client = warmed(with_token(coordinator))

    statements = statements_of(client, f"/api/v1/cases/{case.pk}/transitions/", {"name": "accept"})

    assert len(statements) == ACCEPT_STATEMENTS + token_cache, "\n".join(statements)


@pytest.mark.django_db
def test_signing_for_an_item_takes_five_statements_and_the_token(
    token_cache, coordinator, enterprise_user, category, zigui_org, department_officer
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    item = case.action_items.get()
    client = warmed(with_token(department_officer))

    statements = statements_of(
        client, f"/api/v1/action-items/{item.pk}/transitions/", {"name": "sign"}
    )

    assert len(statements) == SIGN_STATEMENTS + token_cache, "\n".join(statements)


class AnswerFailed(Exception):
    pass


@pytest.mark.django_db
def test_a_case_transition_whose_answer_fails_leaves_nothing_written(
    coordinator, enterprise_user, category
):
    case = factories.case(enterprise_user, category=category)
    events, clocks = Event.objects.count(), list(Clock.objects.values_list("pk", "state"))
    client = with_token(coordinator)

    failing = mock.patch.object(CaseTransitionsView, "answer", side_effect=AnswerFailed)
    with failing, pytest.raises(AnswerFailed):
        client.post(f"/api/v1/cases/{case.pk}/transitions/", {"name": "accept"}, format="json")

    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED
    assert Event.objects.count() == events
    assert list(Clock.objects.values_list("pk", "state")) == clocks
    # The same request afterwards succeeds: no lock or half-state was left behind.
    accepted = client.post(
        f"/api/v1/cases/{case.pk}/transitions/", {"name": "accept"}, format="json"
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"


@pytest.mark.django_db
def test_an_item_transition_that_fails_midway_leaves_nothing_written(
    coordinator, enterprise_user, category, zigui_org, department_officer
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    item = case.action_items.get()
    events = Event.objects.count()
    client = with_token(department_officer)
    url = f"/api/v1/action-items/{item.pk}/transitions/"

    # The item is saved and its event written before the answer is read; then it fails.
    failing = mock.patch.object(ActionItemTransitionsView, "answer_from", side_effect=AnswerFailed)
    with failing, pytest.raises(AnswerFailed):
        client.post(url, {"name": "sign"}, format="json")

    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.ASSIGNED
    assert Event.objects.count() == events
    assert client.post(url, {"name": "sign"}, format="json").json()["status"] == "signed"


@pytest.mark.django_db
def test_an_item_the_caller_may_not_see_is_a_404_and_nothing_is_locked_or_written(
    coordinator, enterprise_user, category, zigui_org, other_department_officer
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    item = case.action_items.get()
    response = with_token(other_department_officer).post(
        f"/api/v1/action-items/{item.pk}/transitions/", {"name": "sign"}, format="json"
    )
    assert response.status_code == 404
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.ASSIGNED


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


@pytest.mark.django_db
def test_item_answers_built_from_the_rows_in_hand_are_the_detail_afterwards(
    coordinator, enterprise_user, category, zigui_org, zhujian_org, department_officer
):
    """An item's answer is built from the rows the transition locked and saved: after a change
    of owner (reassign) and a completion it must still be exactly the detail read afterwards."""
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    item = case.action_items.get()
    url = f"/api/v1/action-items/{item.pk}/transitions/"
    officer, office = with_token(department_officer), with_token(coordinator)

    returned = officer.post(url, {"name": "return", "reason": "不属我局职责"}, format="json")
    assert returned.status_code == 200, returned.content
    reassigned = office.post(url, {"name": "reassign", "owner": zhujian_org.pk}, format="json")
    assert reassigned.status_code == 200, reassigned.content
    assert reassigned.json()["owner"]["name"] == zhujian_org.name
    assert reassigned.json() == office.get(f"/api/v1/action-items/{item.pk}/").json()

    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, category=category)
    item = case.action_items.get()
    url = f"/api/v1/action-items/{item.pk}/transitions/"
    for name in ("sign", "start"):
        assert officer.post(url, {"name": name}, format="json").status_code == 200
    completed = officer.post(url, {"name": "complete", "note": "已办结"}, format="json")
    assert completed.status_code == 200, completed.content
    assert completed.json()["status"] == "done"
    assert completed.json() == officer.get(f"/api/v1/action-items/{item.pk}/").json()
