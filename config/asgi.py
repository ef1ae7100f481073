"""ASGI entry point: HTTP through Django, WebSockets through Channels, on one port."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from workflow.realtime.auth import HandshakeAuthMiddlewareStack, origin_validator  # noqa: E402
from workflow.realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        # The pages' CSS and JS come from the project itself (no CDN, no separate web server
        # needed); a front proxy may still serve STATIC_ROOT after `collectstatic`.
        "http": ASGIStaticFilesHandler(django_asgi_app),
        "websocket": origin_validator(
            HandshakeAuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
