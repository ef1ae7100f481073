"""Broadcasting after commit. `record_event` and `notify` call these inside the caller's
transaction; the broadcast runs only once it commits, so a rolled-back change sends nothing.

A broadcast never holds the request that made it. Sync code (a WSGI worker, the scan) hands it
to the process's publishing loop and returns: one event loop per process, kept running by a
daemon thread, sends the queued broadcasts one after another in the order they were made (one
loop rather than `async_to_sync` per message because the Redis layers keep their connections
per loop: a new loop each time opened and closed a Redis connection per broadcast). The queue
is bounded (`REALTIME_QUEUE_SIZE`): when it is full, a broadcast is dropped and counted. A batch
that fails or takes longer than `SEND_TIMEOUT` opens the circuit breaker (`breaker.py`): for a
few seconds nothing is sent, and the outage is logged in a line, not a traceback per message.
The change stands either way; clients catch up with `?since=` when they reconnect.

The in-memory layer (one process, development and tests) cannot hang and is only safe on the
loop of its consumers, so it keeps `async_to_sync`: its messages are delivered before the
request returns."""

import asyncio
import atexit
import contextlib
import json
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.db import transaction

from workflow.realtime import groups, messages
from workflow.realtime.breaker import breaker

logger = logging.getLogger(__name__)

# How long one batch of broadcasts may take on the publishing loop before it counts as failed.
# The Redis connections' own socket timeouts (settings) normally end a hung call first.
SEND_TIMEOUT = 3.0


class _PublishLoop:
    """The process's publishing loop and its queue, started on first use (after a fork too: the
    pid is checked, so each worker gets its own)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._loop = None
        self._queue = None
        self._worker = None
        self._retired = []
        self._pid = None
        self._queued = 0

    def loop(self) -> asyncio.AbstractEventLoop:
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    loop = asyncio.new_event_loop()
                    thread = threading.Thread(
                        target=loop.run_forever, name="realtime-publish", daemon=True
                    )
                    thread.start()
                    # A parent's queue stays referenced: its waiting task must not be collected.
                    self._retired.append(self._queue)
                    self._queue = asyncio.Queue()
                    self._queued = 0
                    self._worker = asyncio.run_coroutine_threadsafe(self._send_queued(), loop)
                    if self._pid is None:
                        atexit.register(self._stop)
                    self._loop, self._pid = loop, os.getpid()
        return self._loop

    def _stop(self) -> None:
        """At exit: give what is queued a moment to leave, then end the loop's task."""
        if self._pid != os.getpid():
            return
        self.wait_until_idle(1)
        self._loop.call_soon_threadsafe(self._worker.cancel)
        with contextlib.suppress(Exception):  # cancelled, as asked; or the loop is gone
            self._worker.result(1)

    def run(self, coroutine, timeout=SEND_TIMEOUT):
        """Run `coroutine` on the loop and wait for its result (for callers that must know)."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop())
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def submit(self, layer, sends) -> None:
        """Queue `sends` ((group, message) pairs) for `layer` and return at once."""
        if not breaker.allows(len(sends)):
            return
        loop = self.loop()
        with self._lock:
            limit = getattr(settings, "REALTIME_QUEUE_SIZE", 1000)
            if self._queued >= limit:
                queued = self._queued
                full = True
            else:
                self._queued += 1
                full = False
        if full:
            breaker.queue_full(len(sends), queued)
            return
        loop.call_soon_threadsafe(self._queue.put_nowait, (layer, sends))

    async def _send_queued(self):
        queue = self._queue
        while True:
            layer, sends = await queue.get()
            try:
                if breaker.allows(len(sends)):
                    await asyncio.wait_for(_send_each(layer, sends), SEND_TIMEOUT)
                    breaker.succeeded()
            except Exception as exc:  # whatever the layer raises: redis-py, OSError, timeout
                breaker.failed("publishing", exc, messages=len(sends))
            finally:
                with self._lock:
                    self._queued -= 1
                    if self._queued == 0:
                        self._idle.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        """Wait until every queued broadcast has been sent or given up (tests, shutdown)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._queued == 0, timeout)


publish_loop = _PublishLoop()


async def _send_each(layer, sends):
    for group, message in sends:
        await layer.group_send(group, message)


def group_send_all(sends) -> None:
    """`group_send` each (group, message) in order, from sync code, without waiting for the
    layer (except the in-memory one)."""
    layer = get_channel_layer()
    if layer is None or not sends:
        return
    if isinstance(layer, InMemoryChannelLayer):
        for group, message in sends:
            async_to_sync(layer.group_send)(group, message)
        return
    publish_loop.submit(layer, list(sends))


# The consumer methods that handle group messages: "realtime.message" -> realtime_message.
HANDLER = "realtime.message"
ACCESS_HANDLER = "realtime.access"


def envelope(message: dict, **extra) -> dict:
    # Encoded once here rather than once per watcher: `text` is what every consumer sends.
    return {"type": HANDLER, "message": message, "text": json.dumps(message), **extra}


def send(group: str, message: dict, **extra) -> None:
    try:
        group_send_all([(group, envelope(message, **extra))])
    except Exception:
        logger.exception("Live update to %s not sent", group)


def publish_event(event) -> None:
    message = messages.event_message(event)
    group = groups.case_group(event.case_id)
    # `internal` travels beside the message so each consumer can drop it for the enterprise.
    transaction.on_commit(lambda: send(group, message, internal=event.internal), robust=True)


def publish_notifications(notifications) -> None:
    batch = [
        (n.recipient_id, messages.notification_message(n, n.recipient.language))
        for n in notifications
    ]
    if not batch:
        return

    def send_all():
        try:
            group_send_all(
                [(groups.inbox_group(recipient), envelope(message)) for recipient, message in batch]
            )
        except Exception:
            logger.exception("Notifications to %s recipients not sent", len(batch))

    transaction.on_commit(send_all, robust=True)


def publish_notifications_read(recipient_id, unread: int) -> None:
    """Tell the person's other tabs and devices how many notifications are still unread."""
    message = messages.notifications_read_message(unread)
    group = groups.inbox_group(recipient_id)
    transaction.on_commit(lambda: send(group, message), robust=True)


def publish_access_changed(case_id) -> None:
    """Tell a case's subscribers to re-check who may see it before their next message."""

    def send_access():
        try:
            group_send_all([(groups.case_group(case_id), {"type": ACCESS_HANDLER})])
        except Exception:
            logger.exception("Access change for case %s not sent", case_id)

    transaction.on_commit(send_access, robust=True)
