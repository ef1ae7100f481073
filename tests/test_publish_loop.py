"""Sync code publishes live updates through one event loop per process (workflow/realtime/
publish.py), not a new loop, thread and Redis connection per message; it hands them over and
returns, and a layer that fails is left alone for a while (workflow/realtime/breaker.py)."""

import asyncio
import logging
import time
from unittest import mock

import pytest

from workflow.realtime import publish
from workflow.realtime.breaker import breaker


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
    def __init__(self):
        self.calls = 0

    async def group_send(self, group, message):
        self.calls += 1
        await asyncio.sleep(60)


class _LayerThatRefuses:
    def __init__(self):
        self.calls = 0

    async def group_send(self, group, message):
        self.calls += 1
        raise ConnectionRefusedError("Connect call failed")


class _Layer:
    def __init__(self):
        self.sent = []

    async def group_send(self, group, message):
        self.sent.append(message["message"])


@pytest.fixture(autouse=True)
def _closed_breaker():
    breaker.reset()
    yield
    breaker.reset()


def broadcast(layer, count=1, group="case-1"):
    """`count` broadcasts through `layer`; returns how long handing them over took."""
    started = time.monotonic()
    with mock.patch.object(publish, "get_channel_layer", return_value=layer):
        for n in range(count):
            publish.send(group, {"type": "event", "n": n})
    return time.monotonic() - started


def test_a_layer_that_does_not_answer_neither_holds_nor_raises(caplog):
    layer = _LayerThatHangs()
    with (
        mock.patch.object(publish, "SEND_TIMEOUT", 0.2),
        caplog.at_level(logging.INFO, logger="workflow.realtime"),
    ):
        assert broadcast(layer) < 0.05
        assert publish.publish_loop.wait_until_idle(2)
    assert layer.calls == 1
    [line] = caplog.records
    assert "paused" in line.getMessage() and "TimeoutError" in line.getMessage()
    assert line.exc_info is None


def test_after_a_failure_the_layer_is_left_alone_for_a_pause_then_tried_again(settings, caplog):
    settings.REALTIME_PAUSE_SECONDS = 0.3
    refusing = _LayerThatRefuses()
    with caplog.at_level(logging.INFO, logger="workflow.realtime"):
        broadcast(refusing)
        assert publish.publish_loop.wait_until_idle(2)
        broadcast(refusing, count=10)
        assert publish.publish_loop.wait_until_idle(2)
        assert refusing.calls == 1
        assert breaker.skipped == 11
        time.sleep(0.35)
        working = _Layer()
        broadcast(working)
        assert publish.publish_loop.wait_until_idle(2)
    assert [m["n"] for m in working.sent] == [0]
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [
        "Live updates paused for 0.3s",
        "Live updates resumed",
    ]
    # The one that failed and the ten skipped after it.
    assert caplog.records[1].getMessage().endswith("messages not sent while it failed: 11")


def test_a_full_queue_drops_and_counts_and_says_so_once(settings, caplog):
    settings.REALTIME_QUEUE_SIZE = 3
    layer = _LayerThatHangs()
    with (
        mock.patch.object(publish, "SEND_TIMEOUT", 0.3),
        caplog.at_level(logging.INFO, logger="workflow.realtime"),
    ):
        assert broadcast(layer, count=20) < 0.1
        assert breaker.dropped == 17
        assert publish.publish_loop.wait_until_idle(3)
    # The first one hung (and opened the breaker); the two behind it were skipped.
    assert layer.calls == 1
    # One line a second at most: the pause that follows within it is not logged.
    [line] = caplog.records
    assert line.getMessage().startswith("Live updates dropped: 3 broadcasts already wait")


def test_broadcasts_leave_in_the_order_they_were_made():
    sent = []

    class Layer:
        async def group_send(self, group, message):
            await asyncio.sleep(0.01 if message["message"]["n"] % 2 else 0)
            sent.append(message["message"]["n"])

    with mock.patch.object(publish, "get_channel_layer", return_value=Layer()):
        publish.group_send_all([("case-1", publish.envelope({"n": n})) for n in range(3)])
        for n in range(3, 6):
            publish.group_send_all([("case-1", publish.envelope({"n": n}))])
    assert publish.publish_loop.wait_until_idle(2)
    assert sent == list(range(6))
