"""API tokens: every sign-in issues a new one, stored only as a digest; it expires, logging
out revokes it, logging out everywhere, a password change (pages, admin) and the administrator
revoke all of a person's; a revoked, expired or unknown token is a 401 in the error shape."""

import hashlib
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from departments.models import ApiToken, User
from tests import factories

pytestmark = pytest.mark.django_db


def sign_in(username="coordinator", password="pw", **body):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password, **body},
        format="json",
        HTTP_USER_AGENT="shenlianti-cli/1.0",
    )
    assert response.status_code == 200, response.content
    return response.json()


def with_token(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def refused(key, code):
    response = with_token(key).get("/api/v1/me/")
    assert response.status_code == 401, response.content
    assert response.json()["error"]["code"] == code
    assert response["WWW-Authenticate"] == "Token"
    return response.json()["error"]["message"]


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.invalid", "pw"))
    return client


def test_each_sign_in_issues_a_new_token_that_expires_in_seven_days(coordinator):
    first, second = sign_in(), sign_in()
    assert first["token"] != second["token"]
    for issued in (first, second):
        assert with_token(issued["token"]).get("/api/v1/me/").json()["username"] == "coordinator"
    token = coordinator.api_tokens.first()
    assert token.expires_at - token.created_at == timedelta(days=7)
    assert token.device == "shenlianti-cli/1.0"
    coordinator.refresh_from_db()
    assert coordinator.last_login is not None


def test_the_device_is_named_by_the_client(coordinator):
    sign_in(device="办公室电脑")
    assert coordinator.api_tokens.get().device == "办公室电脑"


def test_only_the_digest_of_the_key_is_stored(coordinator):
    key = sign_in()["token"]
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.digest, token.prefix, token.device}
    assert key.startswith(token.prefix)


def test_wrong_password_and_missing_fields_are_400(coordinator):
    client = APIClient()
    wrong = client.post(
        "/api/v1/auth/token/", {"username": "coordinator", "password": "x"}, format="json"
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"] == {"non_field_errors": ["用户名或密码不正确。"]}
    missing = client.post("/api/v1/auth/token/", {"username": "coordinator"}, format="json")
    assert missing.status_code == 400
    assert "password" in missing.json()["error"]["fields"]
    assert not ApiToken.objects.exists()


def test_an_unknown_token_is_401(db):
    assert refused("not-a-key", "token_invalid") == "令牌无效。"


def test_an_expired_token_is_401(coordinator):
    key = sign_in()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert refused(key, "token_expired") == "令牌已过期，请重新登录。"


def test_the_lifetime_is_a_setting(settings, coordinator):
    settings.API_TOKEN_LIFETIME_HOURS = 1
    sign_in()
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == timedelta(hours=1)


def test_a_deactivated_persons_token_is_401(coordinator):
    key = sign_in()["token"]
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    refused(key, "authentication_failed")


def test_logout_revokes_the_token_presented_only(coordinator):
    kept, ended = sign_in()["token"], sign_in()["token"]
    response = with_token(ended).post("/api/v1/auth/logout/")
    assert response.status_code == 204
    assert refused(ended, "token_revoked") == "令牌已撤销，请重新登录。"
    assert with_token(kept).get("/api/v1/me/").status_code == 200
    assert ApiToken.objects.get(revoked_at__isnull=False).prefix == ended[:8]


def test_logout_without_a_token_is_400(api, coordinator):
    response = api.as_user(coordinator).post("/api/v1/auth/logout/")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_logout_signed_out_is_401(db):
    assert APIClient().post("/api/v1/auth/logout/").status_code == 401
    assert APIClient().post("/api/v1/auth/logout-all/").status_code == 401


def test_logout_all_revokes_every_token_of_the_person_only(coordinator, enterprise_user):
    keys = [sign_in()["token"] for _ in range(3)]
    other = sign_in("enterprise")["token"]
    response = with_token(keys[0]).post("/api/v1/auth/logout-all/")
    assert response.status_code == 200
    assert response.json() == {"revoked": 3}
    for key in keys:
        refused(key, "token_revoked")
    assert with_token(other).get("/api/v1/me/").status_code == 200


def test_a_password_change_on_the_settings_page_revokes_every_token(as_user, coordinator):
    key = sign_in()["token"]
    page = as_user(coordinator)
    changed = page.post(
        "/profile/",
        {
            "section": "password",
            "password-old_password": "pw",
            "password-new_password1": "Haishu-2026-new",
            "password-new_password2": "Haishu-2026-new",
        },
    )
    assert changed.status_code == 302
    refused(key, "token_revoked")
    # The settings page says so beside the new password.
    assert "接口令牌随即失效" in page.get("/profile/").content.decode()
    fresh = sign_in(password="Haishu-2026-new")["token"]
    assert with_token(fresh).get("/api/v1/me/").status_code == 200


def test_a_password_change_in_the_admin_revokes_every_token(superuser_client, coordinator):
    key = sign_in()["token"]
    changed = superuser_client.post(
        f"/admin/departments/user/{coordinator.pk}/password/",
        {"password1": "Haishu-2026-new", "password2": "Haishu-2026-new"},
    )
    assert changed.status_code == 302, changed.context["form"].errors
    refused(key, "token_revoked")


def test_the_administrator_revokes_tokens_in_the_admin(superuser_client, coordinator):
    ended, kept = sign_in()["token"], sign_in()["token"]
    listing = superuser_client.get("/admin/departments/apitoken/?state=live")
    assert listing.status_code == 200
    assert ended[:8] in listing.content.decode() and kept[:8] in listing.content.decode()
    token = ApiToken.objects.get(prefix=ended[:8])
    response = superuser_client.post(
        "/admin/departments/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    refused(ended, "token_revoked")
    assert with_token(kept).get("/api/v1/me/").status_code == 200
    assert superuser_client.get("/admin/departments/apitoken/add/").status_code == 403


def test_the_administrator_revokes_a_persons_tokens_from_the_user_list(
    superuser_client, coordinator
):
    key = sign_in()["token"]
    response = superuser_client.post(
        "/admin/departments/user/",
        {"action": "revoke_api_tokens", "_selected_action": [coordinator.pk]},
    )
    assert response.status_code == 302
    refused(key, "token_revoked")


def test_a_request_writes_last_used_at_most_once_a_minute(coordinator):
    key = sign_in()["token"]
    token = ApiToken.objects.get()
    client = with_token(key)
    client.get("/api/v1/me/")
    assert ApiToken.objects.get().last_used_at == token.last_used_at
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    # An update in SQL passes by the token cache (with Redis): the next request reads it anew.
    caches["tokens"].clear()
    client.get("/api/v1/me/")
    assert ApiToken.objects.get().last_used_at > timezone.now() - timedelta(seconds=5)


def test_a_sign_in_deletes_the_persons_tokens_that_ended_a_month_ago(coordinator):
    old = factories.api_token(coordinator)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(days=31))
    sign_in()
    assert ApiToken.objects.count() == 1
    refused(old, "token_invalid")
