"""The WebSocket endpoints. Thin: who may connect is `Case.objects.visible_to`, what is sent
is `messages`, and the only logic here is replaying missed events without duplicates.

Close codes: 4401 not signed in (or the API token that opened the stream expired or was
revoked: sign in again), 4404 unknown or not visible, 4403 forbidden,
4400 bad `since`, 4503 live updates unavailable for now (the channel layer is down: try again
later, with `since`).
"""

import asyncio
import contextlib
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch
from django.utils import timezone

from cases.models import Case
from config.metrics import WEBSOCKETS_OPEN
from workflow.realtime import auth, groups, messages, sessions
from workflow.realtime.breaker import LayerUnavailable, breaker, guarded, layer_call
from workflow.realtime.revocation import streams_by_token
from workflow.record.models import Event

# The subprotocol the server selects when a client offers it (next to its token).
SUBPROTOCOL = "shenlianti"

CLOSE_ANONYMOUS = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_FORBIDDEN = 4403
CLOSE_BAD_SINCE = 4400
CLOSE_UNAVAILABLE = 4503

# What the layer hands a consumer whose stream it can no longer feed.
LAYER_LOST = {"type": "realtime.unavailable"}

REPLAY_LIMIT = 500


def in_parallel(func):
    """`func` (sync, queries) run in a thread of a pool rather than in the process's one
    database thread, with a connection borrowed from the database pool and given back when it
    returns. Each call reads only its own arguments and commits nothing across calls, so calls
    need not share a thread; otherwise a thousand handshakes, or a thousand watchers re-checking
    visibility at once, would queue one query after another behind that thread."""
    return database_sync_to_async(func, thread_sensitive=False)


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Accept, then close with a code the client can read (a refused handshake has none)."""

    group: str = ""

    async def __call__(self, scope, receive, send):
        """channels' `AsyncConsumer.__call__`, except that the channel layer may fail: a
        handshake then ends in 4503 (accepted, then closed: the client backs off and comes back
        with `since`) instead of an exception that the server turns into HTTP 500."""
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.base_send = send
        try:
            self.channel_name = await layer_call(
                self.channel_layer, "opening a live stream", self.channel_layer.new_channel
            )
        except LayerUnavailable:
            return await self.turn_away(receive)
        self._layer_lost = False
        with contextlib.suppress(StopConsumer):
            await await_many_dispatch([receive, self.receive_from_layer], self.dispatch)

    async def turn_away(self, receive) -> None:
        """Answer the handshake with 4503 without a channel (plain ASGI messages)."""
        if (await receive())["type"] != "websocket.connect":
            return
        await self.refuse(CLOSE_UNAVAILABLE)

    async def receive_from_layer(self):
        """The next group message; once the layer fails (the core layer reads Redis here), one
        `realtime.unavailable` for the handler, then nothing until the client goes."""
        if not self._layer_lost:
            try:
                return await self.channel_layer.receive(self.channel_name)
            except Exception as exc:  # whatever the layer raises: redis-py, OSError
                if not guarded(self.channel_layer):
                    raise
                breaker.failed("receiving live updates", exc)
                self._layer_lost = True
                return LAYER_LOST
        await asyncio.Event().wait()

    async def realtime_unavailable(self, message):
        # Before the handshake is answered there is nothing to close: `join` finds the breaker
        # open and answers 4503 itself.
        if self.group:
            await self.close(code=CLOSE_UNAVAILABLE)

    async def refuse(self, code: int) -> None:
        await self.accept(self.subprotocol())
        await self.close(code=code)

    def subprotocol(self):
        return SUBPROTOCOL if SUBPROTOCOL in self.scope.get("subprotocols", []) else None

    @property
    def user(self):
        return self.scope.get("user")

    async def sign_in(self, check=None):
        """Resolve who connects (`auth.sign_in`) and, if they are signed in, run the consumer's
        own `check()` in the same database call; returns what the check returns."""
        return await in_parallel(self._sign_in_and_check)(check)

    def _sign_in_and_check(self, check):
        user = auth.sign_in(self.scope)
        return check() if check is not None and user.is_authenticated else None

    async def join(self, group: str) -> bool:
        """Join the group, then accept; 4503 when the layer cannot take the subscription."""
        try:
            await layer_call(
                self.channel_layer,
                "joining a live stream",
                lambda: self.channel_layer.group_add(group, self.channel_name),
            )
        except LayerUnavailable:
            await self.refuse(CLOSE_UNAVAILABLE)
            return False
        self.group = group
        await self.accept(self.subprotocol())
        WEBSOCKETS_OPEN.inc()
        if token := self.scope.get("api_token"):
            token_id, expires_at = token
            streams_by_token.watch(self, token_id, (expires_at - timezone.now()).total_seconds())
        return True

    async def token_ended(self) -> None:
        """The API token that opened this stream expired or was revoked."""
        if token := self.scope.pop("api_token", None):
            streams_by_token.forget(self, token[0])
            await self.close(code=CLOSE_ANONYMOUS)

    # channels closes stale database connections before every handler and after every
    # disconnect: a hop to the one database thread per message and watcher, which turned a
    # thousand handshakes or one broadcast to a thousand watchers into a queue at that thread.
    # These consumers reach the database only through `database_sync_to_async`, which closes
    # stale connections itself, so they skip the extra hops.
    async def dispatch(self, message):
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_disconnect(self, message):
        await self.disconnect(message["code"])
        raise StopConsumer()

    async def forward(self, envelope):
        """Send a published message as encoded once by `publish.send`."""
        await self.send(text_data=envelope["text"])

    async def disconnect(self, code):
        if token := self.scope.pop("api_token", None):
            streams_by_token.forget(self, token[0])
        if self.group:
            WEBSOCKETS_OPEN.dec()
            # Always tried: the layer forgets the channel locally before it tells Redis.
            with contextlib.suppress(LayerUnavailable):
                await layer_call(
                    self.channel_layer,
                    "leaving a live stream",
                    lambda: self.channel_layer.group_discard(self.group, self.channel_name),
                    even_when_open=True,
                )

    async def receive_json(self, content, **kwargs):
        """Clients only listen; anything they send is ignored."""


def _since(scope):
    """The `since` query parameter: None when absent, a non-negative int, or ValueError."""
    values = parse_qs(scope.get("query_string", b"").decode()).get("since")
    if not values or values[0] == "":
        return None
    since = int(values[0])
    if since < 0:
        raise ValueError(since)
    return since


class CaseConsumer(LiveConsumer):
    """`/ws/cases/<id>/[?since=<event id>]`: the case's event log as it grows."""

    async def connect(self):
        self.case_id = self.scope["url_route"]["kwargs"]["case_id"]
        self.visible = await self.sign_in(self.visible_now)
        if not self.user.is_authenticated:
            return await self.refuse(CLOSE_ANONYMOUS)
        if not self.visible:
            return await self.refuse(CLOSE_NOT_FOUND)
        try:
            since = _since(self.scope)
        except ValueError:
            return await self.refuse(CLOSE_BAD_SINCE)
        # Join before replaying so nothing committed meanwhile is missed; live messages that
        # arrive during the replay wait in `pending` and go out after it, minus duplicates.
        self.pending = [] if since is not None else None
        if not await self.join(groups.case_group(self.case_id)) or since is None:
            return
        last_id = since
        for event in await self.missed_events(since):
            await self.send_json(event)
            last_id = event["event"]["id"]
        await self.send_json(messages.replay_done_message(last_id))
        pending, self.pending = self.pending, None
        for message in pending:
            if message["event"]["id"] > last_id:
                await self.send_json(message)

    def visible_now(self) -> bool:
        return Case.objects.visible_to(self.user).filter(pk=self.case_id).exists()

    async def may_receive(self, internal: bool) -> bool:
        """Visibility is re-checked after the case's involvements change (`access.py`), so a
        person who loses access receives nothing from then on."""
        if internal and self.user.is_enterprise_user:
            return False
        if self.visible is None:
            self.visible = await in_parallel(self.visible_now)()
        return self.visible

    async def realtime_access(self, envelope):
        self.visible = None

    @database_sync_to_async
    def missed_events(self, since: int) -> list[dict]:
        events = Event.objects.visible_to(self.user).filter(case_id=self.case_id, pk__gt=since)
        return [messages.event_message(e) for e in events.order_by("pk")[:REPLAY_LIMIT]]

    async def realtime_message(self, envelope):
        if not await self.may_receive(envelope.get("internal", False)):
            return
        if self.pending is not None:
            self.pending.append(envelope["message"])
        else:
            await self.forward(envelope)


class InboxConsumer(LiveConsumer):
    """`/ws/inbox/`: the signed-in person's notifications as they are written."""

    async def connect(self):
        await self.sign_in()
        if not self.user.is_authenticated:
            return await self.refuse(CLOSE_ANONYMOUS)
        await self.join(groups.inbox_group(self.user.pk))

    async def realtime_message(self, envelope):
        await self.forward(envelope)


class SessionConsumer(LiveConsumer):
    """`/ws/sessions/<id>/`: a joint session as it runs; who may watch is up to the sessions
    code (`workflow.realtime.sessions`)."""

    async def connect(self):
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        allowed = await self.sign_in(self.access_now)
        if not self.user.is_authenticated:
            return await self.refuse(CLOSE_ANONYMOUS)
        if allowed is None:
            return await self.refuse(CLOSE_NOT_FOUND)
        if not allowed:
            return await self.refuse(CLOSE_FORBIDDEN)
        await self.join(groups.session_group(self.session_id))

    def access_now(self):
        return sessions.access(self.session_id, self.user)

    async def realtime_message(self, envelope):
        if await in_parallel(self.access_now)():
            await self.forward(envelope)
