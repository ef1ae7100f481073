"""A WebSocket handshake signs in and makes its check in one database call with as few queries
as the rules allow (the token with its user, then the consumer's own visibility check), so
a thousand handshakes do not each hold a connection for several round trips."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.utils import timezone

from config.asgi import application
from departments.models import ApiToken
from tests import factories
from workflow.notifications.services import notify

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


@pytest.fixture(autouse=True)
def _in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@contextmanager
def queries_in_any_thread():
    """The SQL that reaches the database from any thread: consumers query from a pool of
    threads (`consumers.in_parallel`), which `CaptureQueriesContext` (one connection) misses."""
    captured = []
    execute = CursorWrapper._execute

    def recording(cursor, sql, *args, **kwargs):
        captured.append(sql)
        return execute(cursor, sql, *args, **kwargs)

    with mock.patch.object(CursorWrapper, "_execute", recording):
        yield captured


async def token_for(user):
    return await sync_to_async(factories.api_token)(user)


async def connect(path, protocols=(), headers=()):
    communicator = WebsocketCommunicator(
        application, path, headers=list(headers), subprotocols=["shenlianti", *protocols]
    )
    connected, _ = await communicator.connect()
    return communicator, connected


async def test_case_handshake_reads_the_token_and_the_visibility_only(
    enterprise_user, submitted_case
):
    key = await token_for(enterprise_user)
    with queries_in_any_thread() as queries:
        communicator, connected = await connect(f"/ws/cases/{submitted_case.pk}/", [f"token.{key}"])
    assert connected
    assert len(queries) == 2, queries
    token_query, visibility_query = queries
    assert "departments_apitoken" in token_query and "departments_organisation" in token_query
    assert "cases_case" in visibility_query
    await communicator.disconnect()


async def test_inbox_handshake_reads_the_token_only(enterprise_user):
    key = await token_for(enterprise_user)
    with queries_in_any_thread() as queries:
        communicator, connected = await connect("/ws/inbox/", [f"token.{key}"])
    assert connected
    assert len(queries) == 1, queries
    await communicator.disconnect()


async def test_anonymous_handshake_reads_nothing(submitted_case):
    with queries_in_any_thread() as queries:
        communicator, connected = await connect(f"/ws/cases/{submitted_case.pk}/")
    assert connected
    assert (await communicator.receive_output(timeout=2))["code"] == 4401
    assert queries == []


async def test_pages_sign_in_with_the_session_cookie(enterprise_user):
    browser = Client()
    await sync_to_async(browser.force_login)(enterprise_user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    communicator, connected = await connect(
        "/ws/inbox/", headers=[(b"cookie", cookie.encode()), (b"origin", b"http://testserver")]
    )
    assert connected
    await sync_to_async(notify)(
        recipients=[enterprise_user], kind="case_accepted", title="已受理", case=None
    )
    message = await communicator.receive_json_from(timeout=2)
    assert message["type"] == "notification"
    await communicator.disconnect()


async def test_an_unknown_token_falls_back_to_the_session(enterprise_user):
    communicator, connected = await connect("/ws/inbox/", ["token.not-a-key"])
    assert connected
    assert (await communicator.receive_output(timeout=2))["code"] == 4401


@pytest.mark.parametrize("ending", ["revoked", "expired"])
async def test_a_revoked_or_expired_token_signs_no_one_in(enterprise_user, ending):
    key = await token_for(enterprise_user)
    if ending == "revoked":
        await sync_to_async(ApiToken.objects.update)(revoked_at=timezone.now())
    else:
        await sync_to_async(ApiToken.objects.update)(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    communicator, connected = await connect("/ws/inbox/", [f"token.{key}"])
    assert connected
    assert (await communicator.receive_output(timeout=2))["code"] == 4401
