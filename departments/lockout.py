"""Signing in after too many wrong passwords (django-axes).

Axes counts failed sign-ins per account and address (`AXES_LOCKOUT_PARAMETERS`) on every login
that goes through `django.contrib.auth.authenticate`: the pages' login, the admin's and the
API's token endpoint. After `LOGIN_FAILURE_LIMIT` failures within `LOGIN_LOCKOUT_MINUTES` that
account cannot sign in from that address, not even with the right password, until the time
has passed since the last attempt or an administrator unlocks it (the admin's "access
attempts", or `manage.py axes_reset_username <username>`: deploy/README.md). A successful
sign-in clears the count.

Its answer is a 429 with `Retry-After`: in the API's error shape under /api/, a page in the
site's own layout elsewhere.
"""

import ipaddress

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def retry_after_seconds() -> int:
    # A failure while locked out starts the wait again (axes'
    # AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the whole wait lies ahead.
    return settings.LOGIN_LOCKOUT_MINUTES * 60


def lockout_message() -> str:
    return _(
        "登录失败次数过多，此账号已在您的网络地址上暂时锁定。请在 %(minutes)d 分钟后重试，"
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
