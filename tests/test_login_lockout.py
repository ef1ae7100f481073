"""Guessing passwords stops: after LOGIN_FAILURE_LIMIT wrong passwords for one account from one
address, that account is locked out from that address on every login (the pages', the
admin's, the API's token endpoint) with a 429 and `Retry-After`, even with the right
password, until the lockout time has passed or an administrator unlocks it."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from departments.models import User

pytestmark = pytest.mark.django_db

LIMIT = 10  # the default, asserted below


def api_sign_in(client, username, password, **extra):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", **extra
    )


def page_sign_in(client, username, password, path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password})


def lock_out(sign_in, client, username):
    """Wrong passwords up to the limit; the last one locks."""
    for _ in range(LIMIT - 1):
        assert sign_in(client, username, "wrong").status_code in (200, 400)
    locked = sign_in(client, username, "wrong")
    assert locked.status_code == 429
    return locked


def test_the_default_limit_is_ten_failures_and_fifteen_minutes():
    assert settings.LOGIN_FAILURE_LIMIT == LIMIT
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 100


def test_the_api_locks_an_account_after_ten_wrong_passwords(coordinator):
    client = APIClient()
    for attempt in range(1, LIMIT):
        wrong = api_sign_in(client, "coordinator", "wrong")
        assert wrong.status_code == 400, attempt
        assert wrong.json()["error"]["code"] == "invalid"
    locked = api_sign_in(client, "coordinator", "wrong")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert locked.json() == {
        "error": {
            "code": "locked_out",
            "message": "登录失败次数过多，已从您的网络地址暂时锁定。请在 15 分钟后重试，"
            "或请系统管理员解锁。",
            "details": {"retry_after": 900},
        }
    }
    # The 51st guess too, and then the right password: locked, no token.
    for _ in range(40):
        assert api_sign_in(client, "coordinator", "wrong").status_code == 429
    right = api_sign_in(client, "coordinator", "pw")
    assert right.status_code == 429
    assert "token" not in right.json()
    assert not coordinator.api_tokens.exists()


def test_the_lockout_speaks_english_to_an_english_client(coordinator):
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    locked = lock_out(api_sign_in, client, "coordinator")
    assert locked.json()["error"]["message"].startswith("Too many failed sign-ins")
    page = Client()
    page.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Sign-in temporarily locked" in page_sign_in(page, "coordinator", "pw").content.decode()


def test_the_pages_login_locks_with_a_page_of_its_own(client, coordinator):
    locked = lock_out(page_sign_in, client, "coordinator")
    assert locked["Retry-After"] == "900"
    page = locked.content.decode()
    assert "登录已暂时锁定" in page and "15 分钟后重试" in page
    assert 'href="/accounts/login/"' in page
    right = page_sign_in(client, "coordinator", "pw")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_login_locks(client, db):
    User.objects.create_superuser("root", "root@example.invalid", "pw")
    sign_in = page_sign_in
    for _ in range(LIMIT - 1):
        assert sign_in(client, "root", "wrong", "/admin/login/").status_code == 200
    assert sign_in(client, "root", "wrong", "/admin/login/").status_code == 429
    right = sign_in(client, "root", "pw", "/admin/login/")
    assert right.status_code == 429
    assert "登录已暂时锁定" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_count_is_per_account_and_address(coordinator, enterprise_user):
    lock_out(api_sign_in, APIClient(), "coordinator")
    # Another account from the same address, the same account from another address: unhurt.
    assert api_sign_in(APIClient(), "enterprise", "pw").status_code == 200
    elsewhere = APIClient(REMOTE_ADDR="10.1.2.3")
    assert api_sign_in(elsewhere, "coordinator", "pw").status_code == 200


def test_guessing_across_accounts_locks_the_address(settings, coordinator):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 25
    client = APIClient()
    for attempt in range(24):  # 12 accounts, twice each: none near its own limit
        assert api_sign_in(client, f"guess{attempt % 12}", "wrong").status_code == 400, attempt
    assert api_sign_in(client, "guess0", "wrong").status_code == 429
    # Every account is locked from this address, the right password too; not from elsewhere.
    assert api_sign_in(client, "coordinator", "pw").status_code == 429
    assert api_sign_in(APIClient(REMOTE_ADDR="10.1.2.3"), "coordinator", "pw").status_code == 200
    call_command("axes_reset_ip", "127.0.0.1")
    assert api_sign_in(client, "coordinator", "pw").status_code == 200


def test_behind_the_proxy_the_address_comes_from_its_header(settings, coordinator):
    settings.LOGIN_CLIENT_IP_HEADER = "X-Real-IP"
    lock_out(api_sign_in, APIClient(HTTP_X_REAL_IP="203.0.113.7"), "coordinator")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    # Every request comes from the proxy's address; another client's is not locked.
    assert (
        api_sign_in(APIClient(HTTP_X_REAL_IP="203.0.113.8"), "coordinator", "pw").status_code == 200
    )
    # A header that is not an address counts as the connection's own.
    garbage = APIClient(HTTP_X_REAL_IP="<script>")
    assert api_sign_in(garbage, "coordinator", "wrong").status_code == 400
    assert AccessAttempt.objects.filter(ip_address="127.0.0.1").exists()


def test_a_successful_sign_in_clears_the_count(coordinator):
    client = APIClient()
    for _ in range(LIMIT - 1):
        assert api_sign_in(client, "coordinator", "wrong").status_code == 400
    assert api_sign_in(client, "coordinator", "pw").status_code == 200
    assert not AccessAttempt.objects.exists()
    for _ in range(LIMIT - 1):
        assert api_sign_in(client, "coordinator", "wrong").status_code == 400
    assert api_sign_in(client, "coordinator", "pw").status_code == 200


def test_the_lockout_ends_after_fifteen_minutes(coordinator):
    client = APIClient()
    lock_out(api_sign_in, client, "coordinator")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert api_sign_in(client, "coordinator", "pw").status_code == 429
    # That attempt started the wait again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert api_sign_in(client, "coordinator", "pw").status_code == 200


def test_the_administrator_unlocks_in_the_admin(coordinator):
    lock_out(api_sign_in, APIClient(), "coordinator")
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", "root@example.invalid", "pw"))
    listing = admin.get("/admin/axes/accessattempt/?q=coordinator")
    assert listing.status_code == 200 and "coordinator" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="coordinator")
    deleted = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert deleted.status_code == 302
    assert api_sign_in(APIClient(), "coordinator", "pw").status_code == 200


def test_the_administrator_unlocks_with_a_command(client, coordinator):
    lock_out(page_sign_in, client, "coordinator")
    call_command("axes_reset_username", "coordinator")
    assert page_sign_in(client, "coordinator", "pw").status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)
