"""Who is behind a WebSocket handshake.

Clients other than browsers carry their API token in the subprotocol list
(`Sec-WebSocket-Protocol: shenlianti, token.<key>`) so the key never appears in a URL or server
log; without a valid token (unknown, revoked or expired) the session cookie decides. The token
is checked at the handshake; a stream it opened is closed when it expires or is revoked
(`revocation.py`).

The middleware reads nothing from the database: it leaves `scope["user"]` unresolved, and the
consumer resolves it with `sign_in` inside the one database call that also makes its own check
(a case's visibility), so a handshake costs one trip to the database thread and one connection
checkout instead of three, and a thousand handshakes do not queue behind each other's
connections.
"""

from types import SimpleNamespace

from channels.auth import AuthMiddleware
from channels.security.websocket import OriginValidator
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.contrib import auth

from departments.authentication import token_with_user

TOKEN_PREFIX = "token."


def offered_token(scope) -> str | None:
    return next(
        (
            p[len(TOKEN_PREFIX) :]
            for p in scope.get("subprotocols", [])
            if p.startswith(TOKEN_PREFIX)
        ),
        None,
    )


def sign_in(scope):
    """The handshake's user (AnonymousUser when none), stored in `scope["user"]`. Synchronous:
    call it inside the consumer's `database_sync_to_async` function."""
    user = None
    key = offered_token(scope)
    if key:
        # With the organisation: every role and visibility rule reads its kind. A revoked or
        # expired token signs no one in; the handshake writes nothing (no "last used").
        token = token_with_user(key)
        user = token.user if token and token.is_live and token.user.is_active else None
        if user is not None:
            # The stream lives no longer than the token (workflow.realtime.revocation).
            scope["api_token"] = (token.pk, token.expires_at)
    if user is None:
        # Django's own session check (user id, backend, session hash), without a request.
        user = auth.get_user(SimpleNamespace(session=scope["session"]))
    scope["user"] = user
    return user


class DeferredAuthMiddleware(AuthMiddleware):
    """channels' AuthMiddleware without its own database call: `scope["user"]` stays a lazy
    object that refuses to be read until the consumer's `sign_in` replaces it."""

    async def resolve_scope(self, scope):
        pass


def HandshakeAuthMiddlewareStack(inner):
    """Cookies, the session and a deferred user, named like channels' own stacks."""
    return CookieMiddleware(SessionMiddleware(DeferredAuthMiddleware(inner)))


class SameHostOrNoOrigin(OriginValidator):
    """Browsers always send `Origin` on a WebSocket; refuse other sites' pages (they would ride
    on the session cookie) but let non-browser clients, which send none, through: they could
    forge the header anyway and authenticate by token."""

    def valid_origin(self, parsed_origin):
        return parsed_origin is None or self.validate_origin(parsed_origin)


def origin_validator(application):
    from django.conf import settings

    hosts = settings.ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
    return SameHostOrNoOrigin(application, hosts)
