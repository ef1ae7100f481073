"""The pages' own CSS and JavaScript are served by the ASGI application, DEBUG or not."""

import pytest
from asgiref.testing import ApplicationCommunicator

from config.asgi import application


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/static/css/site.css", "/static/js/pages.js"])
async def test_static_files_served_without_debug(settings, path):
    settings.DEBUG = False
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(5)
    assert start["status"] == 200
    await communicator.wait(5)
