"""Fan-out of live updates through a real server: N WebSocket clients on one case.

Prints commit-to-receipt latency (p50/p95/p99) and lost messages for events written through
`record_event`, against a baseline of bare `group_send`s to the same clients; then a burst
(10 events/s for 10 s) and all clients disconnecting at once. Not part of the test run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shenlianti_bench \\
    REDIS_URL=redis://127.0.0.1:6379/7 \\
    .venv/bin/python tests/benchmarks/ws_fanout.py --clients 1000 --messages 20 --layer pubsub
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--layer", choices=["pubsub", "core"], default="pubsub")
    parser.add_argument("--port", type=int, default=8302)
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between messages")
    parser.add_argument("--burst-rate", type=int, default=10, help="events per second")
    parser.add_argument("--burst-seconds", type=int, default=10)
    return parser.parse_args()


def setup_django(layer):
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            sys.exit(f"{name} is required: the benchmark runs a real server through Redis.")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ["CHANNEL_LAYER"] = layer
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_case():
    from rest_framework.authtoken.models import Token

    from cases.models import Category
    from departments.models import Organisation
    from tests import factories

    run = uuid.uuid4().hex[:6]
    office = factories.organisation(f"办公室{run}", kind="office")
    # One enterprise for every run (credit codes are unique).
    enterprise = Organisation.objects.filter(name="基准测试企业").first() or factories.enterprise(
        "基准测试企业"
    )
    watcher = factories.user(f"bench_coordinator_{run}", office)
    filer = factories.user(f"bench_enterprise_{run}", enterprise)
    case = factories.case(filer, category=Category.objects.first(), submit=True)
    return case, Token.objects.create(user=watcher).key, watcher


def start_server(port):
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
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit("the server did not start")
            time.sleep(0.1)


class Client:
    def __init__(self):
        self.received = {}  # key -> receipt time
        self.socket = None

    async def run(self, url, key, ready, handshakes):
        # A bounded number of handshakes at once: a flood overflows the listen backlog.
        async with handshakes:
            self.socket = await websockets.connect(
                url, subprotocols=["shenlianti", f"token.{key}"], max_queue=None, open_timeout=60
            )
        ready.release()
        try:
            async for frame in self.socket:
                now = time.time()
                message = json.loads(frame)
                if message["type"] == "event":
                    self.received[("event", message["event"]["id"])] = now
                elif message["type"] == "bench":
                    self.received[("bench", message["seq"])] = now
        except websockets.ConnectionClosed:
            pass


def summarise(label, sent, clients):
    latencies, lost = [], 0
    for key, started in sent.items():
        for client in clients:
            arrived = client.received.get(key)
            if arrived is None:
                lost += 1
            else:
                latencies.append((arrived - started) * 1000)
    if not latencies:
        print(f"{label}: nothing received, lost {lost}")
        return None
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{label}: {len(latencies)} received, lost {lost}; "
        f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms"
    )
    return q[94]


def write_event(case, actor, n):
    """One event through `record_event`; returns (event id, commit time)."""
    from django.db import transaction

    from workflow.record.services import record_event

    committed = {}
    with transaction.atomic():
        # Registered first, so it runs first after commit: the moment of commit.
        transaction.on_commit(lambda: committed.setdefault("t", time.time()))
        event = record_event(case=case, kind="bench", actor=actor, payload={"n": n})
    return event.pk, committed["t"]


async def send_events(case, actor, count, interval):
    from asgiref.sync import sync_to_async

    sent = {}
    for n in range(count):
        event_id, started = await sync_to_async(write_event)(case, actor, n)
        sent[("event", event_id)] = started
        await asyncio.sleep(interval)
    return sent


async def send_bare(case, count, interval):
    from channels.layers import get_channel_layer

    from workflow.realtime.groups import case_group
    from workflow.realtime.publish import HANDLER

    layer, sent = get_channel_layer(), {}
    for seq in range(count):
        sent[("bench", seq)] = time.time()
        message = {"type": "bench", "seq": seq}
        await layer.group_send(case_group(case.pk), {"type": HANDLER, "message": message})
        await asyncio.sleep(interval)
    return sent


async def settle(clients, sent, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(key in c.received for c in clients for key in sent):
            return
        await asyncio.sleep(0.1)


async def main(args):
    from asgiref.sync import sync_to_async

    case, key, actor = await sync_to_async(make_case)()
    server = start_server(args.port)
    try:
        url = f"ws://127.0.0.1:{args.port}/ws/cases/{case.pk}/"
        clients = [Client() for _ in range(args.clients)]
        ready, handshakes = asyncio.Semaphore(0), asyncio.Semaphore(50)
        started = time.monotonic()
        tasks = [asyncio.create_task(c.run(url, key, ready, handshakes)) for c in clients]
        for _ in clients:
            await ready.acquire()
        print(
            f"{args.clients} clients connected in {time.monotonic() - started:.1f} s "
            f"(layer {args.layer})"
        )
        await asyncio.sleep(1)

        bare = await send_bare(case, args.messages, args.interval)
        await settle(clients, bare)
        baseline = summarise("bare group_send", bare, clients)

        events = await send_events(case, actor, args.messages, args.interval)
        await settle(clients, events)
        measured = summarise("record_event, commit to receipt", events, clients)
        if baseline and measured:
            print(f"p95 ratio record_event / bare: {measured / baseline:.2f}")

        count = args.burst_rate * args.burst_seconds
        burst = await send_events(case, actor, count, 1 / args.burst_rate)
        await settle(clients, burst, timeout=30)
        summarise(f"burst {args.burst_rate}/s for {args.burst_seconds} s", burst, clients)

        started = time.monotonic()
        await asyncio.gather(*(c.socket.close() for c in clients), return_exceptions=True)
        await asyncio.gather(*tasks, return_exceptions=True)
        print(f"{args.clients} clients disconnected at once in {time.monotonic() - started:.1f} s")
        late = Client()
        probe = asyncio.create_task(late.run(url, key, ready, handshakes))
        await ready.acquire()
        after = await send_events(case, actor, 3, 0.1)
        await settle([late], after)
        summarise("a new client after the mass disconnect", after, [late])
        await late.socket.close()
        await probe
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    arguments = parse_args()
    setup_django(arguments.layer)
    asyncio.run(main(arguments))
