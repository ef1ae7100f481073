"""Live updates through real server processes (daphne on 127.0.0.1) and the `websockets`
client, as a deployment runs them. The server processes share the test database, so these run
on PostgreSQL (the SQLite test database lives in this process's memory)."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest
import pytest_asyncio
import websockets
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections

from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


@pytest_asyncio.fixture(autouse=True)
async def _close_thread_connections():
    """The helper thread's database connection would keep the test database busy."""
    yield
    await sync_to_async(connections.close_all)()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@contextmanager
def server(redis_url: str = ""):
    """A daphne process serving config.asgi on a free port of 127.0.0.1."""
    port = _free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings_test",
        DATABASE_URL=_database_url(),
        REDIS_URL=redis_url,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def post(port, path, user_token, body):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {user_token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


async def token(user):
    return await sync_to_async(factories.api_token)(user)


async def open_case(port, case_id, key):
    return await websockets.connect(
        f"ws://127.0.0.1:{port}/ws/cases/{case_id}/", subprotocols=["shenlianti", f"token.{key}"]
    )


async def next_event(client):
    return json.loads(await asyncio.wait_for(client.recv(), timeout=5))["event"]


async def walk(ws_port, http_port, enterprise_user, coordinator, zigui_org, case):
    """The enterprise watches its case while the coordinator accepts and assigns it."""
    client = await open_case(ws_port, case.pk, await token(enterprise_user))
    coordinator_key = await token(coordinator)
    url = f"/api/v1/cases/{case.pk}/transitions/"
    started = time.monotonic()
    assert await sync_to_async(post)(http_port, url, coordinator_key, {"name": "accept"}) == 200
    assert (await next_event(client))["to_state"] == "accepted"
    assignment = {"organisation": zigui_org.pk, "title": "规划审批", "due_date": "2030-01-10"}
    body = {"name": "assign", "assignments": [assignment]}
    assert await sync_to_async(post)(http_port, url, coordinator_key, body) == 200
    states = set()
    while "implementing" not in states:
        states.add((await next_event(client))["to_state"])
    assert time.monotonic() - started < 5
    await client.close()


async def test_through_one_server(
    enterprise_user, other_enterprise_user, coordinator, zigui_org, submitted_case
):
    with server() as port:
        await walk(port, port, enterprise_user, coordinator, zigui_org, submitted_case)
        refused = await open_case(port, submitted_case.pk, await token(other_enterprise_user))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(refused.recv(), timeout=5)
        assert closed.value.rcvd.code == 4404


@pytest.mark.redis
async def test_across_two_servers_through_redis(
    enterprise_user, coordinator, zigui_org, submitted_case
):
    with server(settings.REDIS_URL) as ws_port, server(settings.REDIS_URL) as http_port:
        await walk(ws_port, http_port, enterprise_user, coordinator, zigui_org, submitted_case)


async def test_redis_down_still_changes_the_case(coordinator, submitted_case):
    with server("redis://127.0.0.1:1/0") as port:
        url = f"/api/v1/cases/{submitted_case.pk}/transitions/"
        key = await token(coordinator)
        status = await sync_to_async(post)(port, url, key, {"name": "accept"})
        # The handshake is accepted, then closed with 4503 (not an HTTP 500): the client backs
        # off and comes back with `since`.
        for _ in range(3):
            client = await open_case(port, submitted_case.pk, key)
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(client.recv(), timeout=5)
            assert closed.value.rcvd.code == 4503
    assert status == 200
    await sync_to_async(submitted_case.refresh_from_db)()
    assert submitted_case.status == "accepted"


@pytest.mark.redis
async def test_logging_out_on_one_server_closes_the_stream_on_another(
    enterprise_user, submitted_case
):
    """The revocation reaches the process that holds the stream through Redis."""
    with server(settings.REDIS_URL) as ws_port, server(settings.REDIS_URL) as http_port:
        key = await token(enterprise_user)
        client = await open_case(ws_port, submitted_case.pk, key)
        await asyncio.sleep(0.5)  # the listener of the stream's process has subscribed
        assert await sync_to_async(post)(http_port, "/api/v1/auth/logout/", key, {}) in (200, 204)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(client.recv(), timeout=5)
        assert closed.value.rcvd.code == 4401
