"""Two people firing the same transition at the same moment, on real concurrent connections:
one wins, the other is told (409), and the history records it once."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from cases.models import Case
from tests import factories
from workflow.record.models import Event

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fire_together(users, url, body):
    """POST `body` to `url` as each user from its own thread and connection, released at once."""
    start = threading.Barrier(len(users))
    statuses = []

    def post(user):
        client = APIClient()
        client.force_authenticate(user=user)
        try:
            start.wait()
            statuses.append(client.post(url, body, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


@pytest.mark.parametrize("attempt", range(5))
def test_two_coordinators_accepting_the_same_case_one_wins(
    coordinator, other_coordinator, enterprise_user, category, attempt
):
    case = factories.case(enterprise_user, category=category)

    statuses = fire_together(
        [coordinator, other_coordinator],
        f"/api/v1/cases/{case.pk}/transitions/",
        {"name": "accept"},
    )

    assert statuses == [200, 409]
    assert Event.objects.filter(case=case, kind="accept").count() == 1
    assert Case.objects.get(pk=case.pk).status == "accepted"


def test_two_officers_completing_the_last_items_resolve_the_case_once(
    coordinator, enterprise_user, category, zigui_org, department_officer
):
    from workflow.items import services as action_items

    second_officer = factories.user("zigui2", zigui_org)
    case = factories.assigned_case(
        enterprise_user, coordinator, zigui_org, zigui_org, category=category
    )
    first, second = case.action_items.order_by("id")
    for item in (first, second):
        action_items.action_item_sign(item=item, by=department_officer)

    start = threading.Barrier(2)
    statuses = []

    def complete(item, officer):
        client = APIClient()
        client.force_authenticate(user=officer)
        try:
            start.wait()
            response = client.post(
                f"/api/v1/action-items/{item.pk}/transitions/",
                {"name": "complete", "note": "已办结"},
                format="json",
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=complete, args=(first, department_officer)),
        threading.Thread(target=complete, args=(second, second_officer)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [200, 200]
    # Done once: the case waits for the office's review, recorded once.
    assert Case.objects.get(pk=case.pk).status == "under_review"
    assert Event.objects.filter(case=case, kind="submit_for_review").count() == 1
