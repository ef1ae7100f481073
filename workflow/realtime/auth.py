"""Token authentication for WebSockets, carried in the subprotocol list
(`Sec-WebSocket-Protocol: shenlianti, token.<key>`) so the key never appears in a URL or
server log. Without a token the session cookie (AuthMiddlewareStack) decides."""

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import OriginValidator
from rest_framework.authtoken.models import Token

TOKEN_PREFIX = "token."


@database_sync_to_async
def _user_for(key: str):
    token = Token.objects.select_related("user").filter(key=key).first()
    return token.user if token and token.user.is_active else None


class TokenSubprotocolMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        key = next(
            (
                p[len(TOKEN_PREFIX) :]
                for p in scope.get("subprotocols", [])
                if p.startswith(TOKEN_PREFIX)
            ),
            None,
        )
        if key:
            user = await _user_for(key)
            if user is not None:
                scope = dict(scope, user=user)
        return await super().__call__(scope, receive, send)


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
