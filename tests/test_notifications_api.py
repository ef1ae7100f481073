"""Reading one's notifications over the API: own only, unread first, marking read."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflow.notifications.models import Notification
from workflow.notifications.services import notify


def test_unread_first_then_newest_own_only(api, coordinator, department_officer):
    old, read, new = (notify(recipients=[coordinator], kind="other", title=t)[0] for t in "abc")
    notify(recipients=[department_officer], kind="other", title="not yours")
    api.as_user(coordinator).post(f"/api/v1/notifications/{read.pk}/read/")

    results = api.get("/api/v1/notifications/").json()["results"]
    assert [n["id"] for n in results] == [new.pk, old.pk, read.pk]
    assert results[2]["read_at"] is not None


def test_paginated_with_a_fixed_number_of_queries(api, coordinator):
    for i in range(30):
        notify(recipients=[coordinator], kind="other", title=f"n{i}")
    Notification.objects.filter(pk__in=Notification.objects.order_by("id")[:10]).update(
        read_at="2030-01-01T00:00:00Z"
    )
    client = api.as_user(coordinator)
    counts, seen, url = [], [], "/api/v1/notifications/?page_size=7"
    while url:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).json()
        counts.append(len(queries))
        seen += [n["read_at"] is None for n in page["results"]]
        url = page["next"]
    assert len(seen) == 30
    assert seen == sorted(seen, reverse=True)  # every unread one before every read one
    assert len(set(counts)) == 1


def test_marking_read(api, coordinator, department_officer):
    mine = notify(recipients=[coordinator], kind="other", title="x")[0]
    notify(recipients=[coordinator], kind="other", title="y")
    theirs = notify(recipients=[department_officer], kind="other", title="z")[0]
    client = api.as_user(coordinator)

    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    first = client.post(f"/api/v1/notifications/{mine.pk}/read/").json()["read_at"]
    assert client.post(f"/api/v1/notifications/{mine.pk}/read/").json()["read_at"] == first
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(recipient=coordinator, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    api.logout()
    api.force_authenticate(user=None)
    assert api.get("/api/v1/notifications/").status_code == 401
