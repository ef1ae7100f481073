"""Sync code publishes live updates through one event loop per process (workflow/realtime/
publish.py), not a new loop, thread and Redis connection per message."""

import asyncio
import logging
from unittest import mock

from workflow.realtime import publish


def test_one_loop_serves_every_broadcast_of_a_process():
    async def running_loop():
        return asyncio.get_running_loop()

    first = publish.publish_loop.run(running_loop())
    second = publish.publish_loop.run(running_loop())
    assert first is second is publish.publish_loop.loop()
    assert first.is_running()


def test_a_forked_worker_starts_its_own_loop():
    parent = publish.publish_loop.loop()
    with mock.patch.object(publish.os, "getpid", return_value=-1):
        child = publish.publish_loop.loop()
    assert child is not parent
    assert child.is_running()


class _LayerThatHangs:
    async def group_send(self, group, message):
        await asyncio.sleep(60)


def test_a_layer_that_does_not_answer_is_logged_not_raised(caplog):
    with (
        mock.patch.object(publish, "get_channel_layer", return_value=_LayerThatHangs()),
        mock.patch.object(publish, "PUBLISH_TIMEOUT", 0.2),
        caplog.at_level(logging.ERROR, logger=publish.__name__),
    ):
        publish.send("case-1", {"type": "event"})
    assert "not sent" in caplog.text


def test_broadcasts_leave_in_the_order_they_were_made():
    sent = []

    class Layer:
        async def group_send(self, group, message):
            await asyncio.sleep(0.01 if message["message"]["n"] % 2 else 0)
            sent.append(message["message"]["n"])

    with mock.patch.object(publish, "get_channel_layer", return_value=Layer()):
        publish.group_send_all([("case-1", publish.envelope({"n": n})) for n in range(6)])
    assert sent == list(range(6))
