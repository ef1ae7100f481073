"""Signing in after too many wrong passwords (django-axes).

Axes counts failed sign-ins on every login that goes through `django.contrib.auth.authenticate`:
the pages' login, the admin's and the API's token endpoint. After `LOGIN_FAILURE_LIMIT`
failures for one account from one address within `LOGIN_LOCKOUT_MINUTES`, that account cannot
sign in from that address, not even with the right password; after
`LOGIN_ADDRESS_FAILURE_LIMIT` failures from one address for any accounts (guessing across
accounts), no account can from there. Either lasts until the minutes have passed since the last
attempt or an administrator unlocks it (the admin's 登录失败记录, or `manage.py
axes_reset_username` / `axes_reset_ip`: deploy/README.md). A successful sign-in clears the
account's count. A locked-out sign-in is refused before the password is hashed.

Its answer is a 429 with `Retry-After`: in the API's error shape under /api/, a page in the
site's own layout elsewhere.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def retry_after_seconds() -> int:
    # A failure while locked out starts the wait again (axes'
    # AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the whole wait lies ahead.
    return settings.LOGIN_LOCKOUT_MINUTES * 60


def lockout_message() -> str:
    return _(
        "登录失败次数过多，已从您的网络地址暂时锁定。请在 %(minutes)d 分钟后重试，"
        "或请系统管理员解锁。"
    ) % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: what a locked-out sign-in gets instead of the login's answer."""
    seconds = retry_after_seconds()
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "error": {
                    "code": "locked_out",
                    "message": lockout_message(),
                    "details": {"retry_after": seconds},
                }
            },
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": lockout_message(), "minutes": settings.LOGIN_LOCKOUT_MINUTES},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address a sign-in comes from. Behind the proxy every
    request comes from the proxy, which writes the client's address into the header named by
    `LOGIN_CLIENT_IP_HEADER` (nginx: `X-Real-IP`); without a proxy, REMOTE_ADDR. The header is
    trusted only when set, since a client could otherwise pick its address per attempt."""
    header = settings.LOGIN_CLIENT_IP_HEADER
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        value = value.split(",")[0].strip()
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            pass  # no header or not an address: the connection's own
    return request.META.get("REMOTE_ADDR")


class AccountAndAddressHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler, whose records and resets stay per account and
    address (AXES_LOCKOUT_PARAMETERS), with an allowance per address on top. Axes compares
    one number with one limit (AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT), so the address's
    failures count past the point where they are that many short of their own limit."""

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        failures = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(
            address=Sum("failures_since_start"),
            account=Sum("failures_since_start", filter=Q(username=username)),
        )
        per_account = failures["account"] or 0
        address_limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        if not address_limit:
            return per_account
        per_address = failures["address"] or 0
        return max(per_account, per_address - (address_limit - settings.LOGIN_FAILURE_LIMIT))
