"""Smoke test of the production layout (deploy/serve-local.sh): nginx in front of gunicorn
(HTTP) and uvicorn (WebSockets), all on loopback ports, sharing the test database and Redis."""

import asyncio
import json
import os
import selectors
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
import websockets
from django.conf import settings

from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.nginx,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SERVE_LOCAL = Path(__file__).resolve().parents[1] / "deploy" / "serve-local.sh"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def _wait_for_line(process, prefix: str, seconds: float) -> str:
    """The first line of the process's output starting with `prefix`, or an error."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline and process.poll() is None:
        if selector.select(timeout=0.2):
            line = process.stdout.readline()
            seen.append(line)
            if line.startswith(prefix):
                return line
    raise RuntimeError("serve-local.sh did not get ready:\n" + "".join(seen))


@contextmanager
def served(serve_dir=None):
    """serve-local.sh on free ports; yields nginx's port, then stops everything it started.
    Its logs go to `serve_dir` when given (else a directory it removes)."""
    port = _free_port()
    env = dict(
        os.environ,
        **({"SERVE_DIR": str(serve_dir)} if serve_dir else {}),
        DJANGO_SETTINGS_MODULE="config.settings_test",
        DATABASE_URL=_database_url(),
        REDIS_URL=settings.REDIS_URL,
        SERVE_PORT=str(port),
        WSGI_BIND=f"127.0.0.1:{_free_port()}",
        ASGI_PORT=str(_free_port()),
        WEB_CONCURRENCY="2",
        ASGI_WORKERS="2",
    )
    process = subprocess.Popen(
        [str(SERVE_LOCAL)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for_line(process, "ready", 40)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)  # the script stops its servers, then itself
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def http(port, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers=headers,
        method=method,
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read() or b"null")


async def inbox_receives_a_notification_caused_over_http(port, key, coordinator_key, case_id):
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/ws/inbox/",
        subprotocols=["shenlianti", f"token.{key}"],
        open_timeout=10,
    ) as inbox:
        status, _ = await asyncio.to_thread(
            http,
            port,
            "POST",
            f"/api/v1/cases/{case_id}/transitions/",
            {"name": "return_for_info", "reason": "请补充管线图"},
            coordinator_key,
        )
        assert status == 200
        message = json.loads(await asyncio.wait_for(inbox.recv(), timeout=10))
    assert message["type"] == "notification"
    assert message["notification"]["case"] == case_id


def test_http_and_websockets_through_nginx(enterprise_user, coordinator, category):
    case = factories.case(enterprise_user, category=category, submit=True)
    coordinator_key = factories.api_token(coordinator)

    with served() as port:
        status, signed_in = http(
            port,
            "POST",
            "/api/v1/auth/token/",
            {"username": enterprise_user.username, "password": "pw"},
        )
        assert status == 200
        key = signed_in["token"]

        status, cases = http(port, "GET", "/api/v1/cases/", token=key)
        assert status == 200
        assert [c["id"] for c in cases["results"]] == [case.pk]

        asyncio.run(
            inbox_receives_a_notification_caused_over_http(port, key, coordinator_key, case.pk)
        )


def test_nginx_gives_each_request_an_id_that_both_logs_carry(tmp_path):
    with served(tmp_path) as port:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/no-such-page/")
        try:
            urllib.request.urlopen(request, timeout=10)
        except urllib.error.HTTPError as answer:
            assert answer.code == 404
            request_id = answer.headers["X-Request-ID"]
    assert len(request_id) == 32  # nginx's $request_id, kept by Django and answered back
    access = [json.loads(line) for line in (tmp_path / "access.log").read_text().splitlines()]
    assert {"request_id": request_id, "status": 404}.items() <= access[-1].items()
    assert f"[{request_id}] Not Found: /no-such-page/" in (tmp_path / "gunicorn.log").read_text()
