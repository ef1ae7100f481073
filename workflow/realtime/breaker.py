"""The circuit breaker between this process and the channel layer (Redis).

Live updates are hints (clients catch up with `?since=` when they reconnect), so a layer that
is down or hangs must cost neither a request nor a log full of tracebacks. After a failure the
breaker opens: for `REALTIME_PAUSE_SECONDS` nothing in this process touches the layer (broadcasts
are skipped and counted, handshakes close with 4503 at once), then the next operation tries it
again. Each outage is logged in one line when it starts, at most one line a second while it
lasts, and one when the layer answers again.

One breaker per process, shared by the publishing loop (`publish.py`) and the consumers
(`consumers.py`): when either finds Redis down the other stops trying too. The in-memory layer
cannot fail and never goes through it.
"""

import asyncio
import logging
import threading
import time

from channels.layers import InMemoryChannelLayer
from django.conf import settings

from config.metrics import LIVE_UPDATES_NOT_SENT

logger = logging.getLogger(__name__)

# How long a handshake (or a disconnect) waits for the layer before it gives up. The socket
# timeouts of the Redis connections (settings) normally end it first.
LAYER_TIMEOUT = 3.0

# At most one log line per this many seconds about an outage, whatever the traffic.
LOG_INTERVAL = 1.0


class LayerUnavailable(Exception):
    """The channel layer failed or the breaker is open."""


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class CircuitBreaker:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0
            self._failing = False
            self._last_log = float("-inf")
            self.skipped = 0  # messages not sent because the breaker was open
            self.dropped = 0  # messages not sent because the queue was full

    @staticmethod
    def pause() -> float:
        return float(getattr(settings, "REALTIME_PAUSE_SECONDS", 5))

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def allows(self, messages: int = 0) -> bool:
        """False while the breaker is open; `messages` then count as skipped."""
        if not self.is_open():
            return True
        with self._lock:
            self.skipped += messages
        if messages:
            LIVE_UPDATES_NOT_SENT.labels("paused").inc(messages)
        return False

    def failed(self, what: str, exc: BaseException, messages: int = 0) -> None:
        """The layer failed at `what` (losing `messages`): open the breaker, say so (once)."""
        if messages:
            LIVE_UPDATES_NOT_SENT.labels("failed").inc(messages)
        with self._lock:
            self.skipped += messages
            was_open = time.monotonic() < self._open_until
            self._open_until = time.monotonic() + self.pause()
            self._failing = True
            if was_open:
                return  # an operation that started before the breaker opened
            self._log(
                logging.WARNING,
                "Live updates paused for %ss: the channel layer failed at %s (%s); "
                "messages not sent so far: %s; clients catch up when they reconnect",
                int(self.pause()) if self.pause().is_integer() else self.pause(),
                what,
                _describe(exc),
                self.skipped + self.dropped,
            )

    def succeeded(self) -> None:
        if not self._failing:
            return
        with self._lock:
            if not self._failing:
                return
            self._failing = False
            self._log(
                logging.WARNING,
                "Live updates resumed: the channel layer answers again; "
                "messages not sent while it failed: %s",
                self.skipped + self.dropped,
                force=True,
            )
            self.skipped = self.dropped = 0

    def queue_full(self, messages: int, queued: int) -> None:
        LIVE_UPDATES_NOT_SENT.labels("queue_full").inc(messages)
        with self._lock:
            self.dropped += messages
            self._log(
                logging.WARNING,
                "Live updates dropped: %s broadcasts already wait to be sent; "
                "messages dropped so far: %s",
                queued,
                self.dropped,
            )

    def _log(self, level, message, *args, force=False) -> None:
        now = time.monotonic()
        if force or now - self._last_log >= LOG_INTERVAL:
            self._last_log = now
            logger.log(level, message, *args)


breaker = CircuitBreaker()


def guarded(layer) -> bool:
    """Whether operations on `layer` go through the breaker (every layer but in-memory)."""
    return layer is not None and not isinstance(layer, InMemoryChannelLayer)


async def layer_call(layer, what: str, make_awaitable, *, even_when_open=False):
    """Await `make_awaitable()` (an operation on `layer`) within `LAYER_TIMEOUT`; raise
    `LayerUnavailable` when it fails, or at once while the breaker is open (unless
    `even_when_open`: clean-ups that must still run their local part)."""
    if not guarded(layer):
        return await make_awaitable()
    if not even_when_open and not breaker.allows():
        raise LayerUnavailable(what)
    try:
        result = await asyncio.wait_for(make_awaitable(), LAYER_TIMEOUT)
    except Exception as exc:  # whatever the layer raises (redis-py, OSError, timeout)
        breaker.failed(what, exc)
        raise LayerUnavailable(what) from exc
    breaker.succeeded()
    return result
