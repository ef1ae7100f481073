"""The event log is append-only: nothing rewrites or erases a case's history."""

import pytest

from workflow.record.models import Event


@pytest.fixture
def event(submitted_case):
    return Event.objects.filter(case=submitted_case).first()


def test_an_event_cannot_be_changed(event):
    event.kind = "forged"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).update(kind="forged")
    assert Event.objects.get(pk=event.pk).kind != "forged"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_admin_shows_events_read_only(client, event, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(admin)

    page = client.get(f"/admin/workflow/event/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="kind"' not in page.content
    assert (
        client.post(f"/admin/workflow/event/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_api_offers_no_way_to_write_events(api, coordinator, submitted_case, event):
    url = f"/api/v1/cases/{submitted_case.pk}/events/"
    client = api.as_user(coordinator)
    assert client.post(url, {"kind": "forged"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert not Event.objects.filter(kind="forged").exists()
