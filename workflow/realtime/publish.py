"""Broadcasting after commit. `record_event` and `notify` call these inside the caller's
transaction; the broadcast runs only once it commits, so a rolled-back change sends nothing.
A failed broadcast (the channel layer is down) is logged, never raised: the change stands and
clients catch up with `?since=` when they reconnect.

Sync code (a WSGI worker, the scan) publishes through one event loop per process that a
daemon thread keeps running, not through `async_to_sync` per message: that started a loop in a
new thread each time, and the Redis layers keep their connections per loop, so every broadcast
also opened (and closed) a Redis connection; it was most of a transition's cost under load.
The in-memory layer (one process, development and tests) is only safe on the loop of its
consumers, so it keeps `async_to_sync`."""

import asyncio
import json
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

from workflow.realtime import groups, messages

logger = logging.getLogger(__name__)

# How long a request waits for Redis to take a broadcast before it logs it as not sent.
PUBLISH_TIMEOUT = 5


class _PublishLoop:
    """The process's publishing loop, started on first use (after a fork too: the pid is
    checked, so each worker gets its own)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loop = None
        self._pid = None

    def loop(self) -> asyncio.AbstractEventLoop:
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    loop = asyncio.new_event_loop()
                    thread = threading.Thread(
                        target=loop.run_forever, name="realtime-publish", daemon=True
                    )
                    thread.start()
                    self._loop, self._pid = loop, os.getpid()
        return self._loop

    def run(self, coroutine, timeout=None):
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop())
        try:
            return future.result(PUBLISH_TIMEOUT if timeout is None else timeout)
        except TimeoutError:
            future.cancel()
            raise


publish_loop = _PublishLoop()


def group_send_all(sends) -> None:
    """`group_send` each (group, message) in order, from sync code, in one trip to the loop."""
    layer = get_channel_layer()
    if layer is None:
        return
    if isinstance(layer, InMemoryChannelLayer):
        for group, message in sends:
            async_to_sync(layer.group_send)(group, message)
        return

    async def send_each():
        for group, message in sends:
            await layer.group_send(group, message)

    publish_loop.run(send_each())


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
