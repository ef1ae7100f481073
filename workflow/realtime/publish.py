"""Broadcasting after commit. `record_event` and `notify` call these inside the caller's
transaction; the broadcast runs only once it commits, so a rolled-back change sends nothing.
A failed broadcast (the channel layer is down) is logged, never raised: the change stands and
clients catch up with `?since=` when they reconnect."""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from workflow.realtime import groups, messages

logger = logging.getLogger(__name__)

# The consumer methods that handle group messages: "realtime.message" -> realtime_message.
HANDLER = "realtime.message"
ACCESS_HANDLER = "realtime.access"


def send(group: str, message: dict, **extra) -> None:
    # Encoded once here rather than once per watcher: `text` is what every consumer sends.
    envelope = {"type": HANDLER, "message": message, "text": json.dumps(message), **extra}
    try:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, envelope)
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
        for recipient_id, message in batch:
            send(groups.inbox_group(recipient_id), message)

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
            async_to_sync(get_channel_layer().group_send)(
                groups.case_group(case_id), {"type": ACCESS_HANDLER}
            )
        except Exception:
            logger.exception("Access change for case %s not sent", case_id)

    transaction.on_commit(send_access, robust=True)
