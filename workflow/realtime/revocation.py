"""Live streams end with the API token that opened them.

A token is checked at the handshake (`auth.sign_in`); without this module a stream opened with
it would stay open after the token was revoked or had expired. Each stream opened with a token
is registered here with the token's id: it is closed (4401, sign in again) when the token's
expiry comes, and when a revocation is announced.

Announcements travel through the channel layer to one group that each serving process listens
to once, not each stream: revoking a token costs one broadcast, and a thousand streams cost no
extra subscription. The listener starts with the process's first stream opened by token and
stops with its last.
"""

import asyncio
import contextlib
import logging
from collections import defaultdict

from channels.layers import get_channel_layer
from django.dispatch import receiver

from departments.models import ApiToken
from departments.signals import api_tokens_revoked
from workflow.realtime.publish import group_send_all

logger = logging.getLogger(__name__)

GROUP = "api-tokens.revoked"
MESSAGE_TYPE = "tokens.revoked"
# After the layer fails, the listener tries again this often.
RETRY_SECONDS = 5.0
# The core Redis layer forgets a group's members after a day: join again well before that.
REJOIN_SECONDS = 3600.0


@receiver(api_tokens_revoked, sender=ApiToken)
def announce_revocation(sender, token_ids, **kwargs):
    try:
        group_send_all([(GROUP, {"type": MESSAGE_TYPE, "token_ids": list(token_ids)})])
    except Exception:
        logger.exception("Revocation of %s API tokens not announced", len(token_ids))


class _StreamsByToken:
    """The process's streams opened with a token, by token id, and their expiry timers."""

    def __init__(self):
        self.streams = defaultdict(set)
        self.timers = {}
        self.listener = None

    def watch(self, stream, token_id: int, seconds_left: float) -> None:
        """`stream.token_ended()` is awaited when the token expires or is revoked."""
        loop = asyncio.get_running_loop()
        self.streams[token_id].add(stream)
        self.timers[stream] = loop.call_later(
            max(seconds_left, 0), lambda: loop.create_task(stream.token_ended())
        )
        if self.listener is None or self.listener.done():
            self.listener = loop.create_task(self._listen())

    def forget(self, stream, token_id: int) -> None:
        timer = self.timers.pop(stream, None)
        if timer is not None:
            timer.cancel()
        streams = self.streams.get(token_id)
        if streams is not None:
            streams.discard(stream)
            if not streams:
                del self.streams[token_id]
        if not self.streams and self.listener is not None:
            self.listener.cancel()
            self.listener = None

    async def revoked(self, token_ids) -> None:
        for token_id in token_ids:
            for stream in list(self.streams.get(token_id, ())):
                await stream.token_ended()

    async def _listen(self) -> None:
        layer = get_channel_layer()
        channel = None
        failing = False
        try:
            while True:
                try:
                    if channel is None:
                        channel = await layer.new_channel()
                    await layer.group_add(GROUP, channel)
                    if failing:
                        logger.warning("Listening for API token revocations again")
                        failing = False
                    await self._receive(layer, channel)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # whatever the layer raises: redis-py, OSError
                    if not failing:
                        logger.warning("Not listening for API token revocations: %s", exc)
                        failing = True
                    await asyncio.sleep(RETRY_SECONDS)
        finally:
            if channel is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await layer.group_discard(GROUP, channel)

    async def _receive(self, layer, channel) -> None:
        """Messages until it is time to join the group again."""
        loop = asyncio.get_running_loop()
        rejoin_at = loop.time() + REJOIN_SECONDS
        while (left := rejoin_at - loop.time()) > 0:
            try:
                message = await asyncio.wait_for(layer.receive(channel), left)
            except TimeoutError:
                return
            if message.get("type") == MESSAGE_TYPE:
                await self.revoked(message["token_ids"])


streams_by_token = _StreamsByToken()
