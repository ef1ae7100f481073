"""Sign-in by API token from the cache (departments/token_cache.py): a token used once is read
without a query afterwards, and still every way a token stops signing in works at once on the
very next request: expiry, logout, logging out everywhere, a password change, the
administrator's revocation, deleting the token, deactivating or changing the person."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from departments import token_cache
from departments.models import ApiToken, User
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached(settings):
    settings.API_TOKEN_CACHE_SECONDS = 30
    caches["tokens"].clear()
    token_cache._paused_until = 0.0
    yield
    caches["tokens"].clear()
    token_cache._paused_until = 0.0  # a failure test's pause must not reach the next module


def with_token(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def me(key):
    return with_token(key).get("/api/v1/me/")


def used(person) -> str:
    """A token of `person`, used once: it is in the cache now."""
    key = factories.api_token(person)
    assert me(key).status_code == 200
    assert isinstance(caches["tokens"].get(f"apitoken:{ApiToken.digest_of(key)}"), ApiToken)
    return key


def refused(key, code):
    response = me(key)
    assert response.status_code == 401, response.content
    assert response.json()["error"]["code"] == code


def token_queries(key) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert me(key).status_code == 200
    return [q["sql"] for q in queries if "departments_apitoken" in q["sql"]]


def test_a_cached_token_signs_in_without_reading_the_token_table(coordinator):
    key = factories.api_token(coordinator)
    assert len(token_queries(key)) == 1
    assert token_queries(key) == []
    assert me(key).json()["username"] == "coordinator"


def test_without_the_setting_every_request_reads_the_database(settings, coordinator):
    settings.API_TOKEN_CACHE_SECONDS = 0
    key = factories.api_token(coordinator)
    assert len(token_queries(key)) == 1
    assert len(token_queries(key)) == 1


def test_a_cached_token_is_refused_the_moment_it_expires(coordinator):
    key = used(coordinator)
    expires_at = ApiToken.objects.get().expires_at
    with mock.patch("django.utils.timezone.now", return_value=expires_at):
        refused(key, "token_expired")


def test_logout_refuses_the_cached_token_at_once(coordinator):
    key, kept = used(coordinator), used(coordinator)
    assert with_token(key).post("/api/v1/auth/logout/").status_code == 204
    refused(key, "token_revoked")
    assert me(kept).status_code == 200


def test_logout_everywhere_refuses_every_cached_token_at_once(coordinator):
    keys = [used(coordinator) for _ in range(3)]
    assert with_token(keys[0]).post("/api/v1/auth/logout-all/").json() == {"revoked": 3}
    for key in keys:
        refused(key, "token_revoked")


def test_a_password_change_refuses_the_cached_token_at_once(coordinator):
    key = used(coordinator)
    coordinator.set_password("Haishu-2026-new")
    coordinator.save()
    refused(key, "token_revoked")


def test_the_administrators_revocation_refuses_the_cached_token_at_once(coordinator):
    key = used(coordinator)
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", "root@example.invalid", "pw"))
    token = ApiToken.objects.get()
    response = admin.post(
        "/admin/departments/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    refused(key, "token_revoked")


def test_a_deleted_token_is_refused_at_once(coordinator):
    key = used(coordinator)
    ApiToken.objects.get().delete()
    refused(key, "token_invalid")


def test_a_deactivated_person_is_refused_at_once(coordinator):
    key = used(coordinator)
    coordinator.is_active = False
    coordinator.save()
    refused(key, "authentication_failed")


def test_a_change_to_the_person_or_organisation_shows_at_once(coordinator):
    key = used(coordinator)
    coordinator.organisation_role = User.OrganisationRole.LEADER
    coordinator.save()
    assert "leader" in me(key).json()["roles"]
    organisation = coordinator.organisation
    organisation.name = "改名后的政务服务办"
    organisation.save()
    assert me(key).json()["organisation"]["name"] == "改名后的政务服务办"


def test_a_request_that_read_the_token_before_the_revocation_cannot_cache_it(coordinator):
    key = factories.api_token(coordinator)
    token = ApiToken.objects.get()
    stale = token_cache.token_from_database(token.digest)  # read before the revocation
    token_cache.forget([token.digest])
    # It would now add what it read: the marker keeps the key, so the database is read again.
    with mock.patch.object(token_cache, "token_from_database", return_value=stale):
        token_cache.token_with_user(key)
    ApiToken.objects.update(revoked_at=timezone.now())
    refused(key, "token_revoked")


def test_last_use_is_written_once_a_minute_and_the_cached_copy_follows(coordinator):
    key = used(coordinator)
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    caches["tokens"].clear()
    assert me(key).status_code == 200  # reads the old time, writes the new one
    written = ApiToken.objects.get().last_used_at
    assert written > timezone.now() - timedelta(seconds=5)
    with CaptureQueriesContext(connection) as queries:
        me(key)
        me(key)
    updates = [q for q in queries if q["sql"].startswith("UPDATE")]
    assert updates == []
    assert ApiToken.objects.get().last_used_at == written


def test_a_failing_cache_falls_back_to_the_database(coordinator):
    key = used(coordinator)
    broken = mock.Mock(get=mock.Mock(side_effect=ConnectionError("down")))
    with mock.patch.object(token_cache, "_cache", return_value=broken):
        assert me(key).status_code == 200
        ApiToken.objects.update(revoked_at=timezone.now())
        refused(key, "token_revoked")
    # Paused: the next requests do not wait on the cache either.
    assert token_cache._paused_until > 0
    broken.get.assert_called_once()
