"""The production topology on loopback and the failures it must survive (deploy/cluster.py):
nginx in front of two web nodes (gunicorn and uvicorn each), two workers, one scheduler and a
second one by mistake, Redis of its own and a mail server, on the test database."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.nginx,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def test_the_cluster_loses_no_write_no_mail_and_no_live_update(capsys):
    if not (shutil.which("redis-server") or os.path.exists("/usr/bin/redis-server")):
        pytest.fail("the cluster test starts a Redis of its own: apt-get install redis-server")
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "deploy" / "cluster.py"),
            "--port",
            os.environ.get("CLUSTER_TEST_PORT", "8150"),
        ],
        env={**os.environ, "DATABASE_URL": _database_url()},
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("figures ")]
    with capsys.disabled():  # the figures, in CI's output even when the test passes
        print("\n" + "\n".join(f"cluster {line}" for line in run.stdout.splitlines()[:-1]))
    assert run.returncode == 0 and lines, run.stderr[-4000:]
    figures = json.loads(lines[-1].removeprefix("figures "))

    # The reference flow through node B was heard, event for event, on node A.
    assert figures["reference_events_heard_on_a"] == figures["reference_events_recorded"] >= 10
    # Node A killed under writes: what was acknowledged is stored once; nothing twice.
    assert figures["writes_acknowledged"] >= 20
    assert figures["writes_lost"] == 0
    assert figures["writes_applied_twice"] == 0
    # Its WebSocket clients came back through node B and caught up, without gaps or repeats.
    assert figures["websocket_clients_dropped_with_node_a"] >= 1
    assert figures["websocket_clients_with_gaps_or_duplicates"] == 0
    assert figures["websocket_catch_up_seconds_max"] < 10
    # A worker killed while mailing: every e-mail reached the mail server once.
    assert figures["emails_received_before_the_kill"] >= 1
    assert figures["emails_sent_once"] == figures["emails_expected"] > 0
    assert figures["emails_lost"] == figures["emails_sent_twice"] == 0
    # Redis down: every request answered; live updates came back.
    assert (
        figures["http_succeeded_during_redis_outage"]
        == figures["http_requests_during_redis_outage"]
        > 0
    )
    assert figures["live_updates_resumed_seconds_after_redis_returned"] < 15
    assert figures["second_scheduler_stood_by"] is True
