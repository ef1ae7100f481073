"""One scheduler per site: a second one stands by and takes over when the first dies."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from config.singleton import ProcessLock


def run_once() -> str:
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_lock_has_one_holder_at_a_time():
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL a second holder needs a second connection (below)")
    first, second = ProcessLock("scheduler-test"), ProcessLock("scheduler-test")
    assert first.acquire() and first.acquire()  # taking it again is a no-op
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def _other_connection():
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True
    )


def _wait_until_no_one_else_holds(number, timeout=10):
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                " AND (classid::bigint << 32) + objid::bigint = %s",
                [number],
            )
            if cursor.fetchone() == (0,):
                return
            time.sleep(0.05)
    raise AssertionError("the lock was not released")


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_second_scheduler_enqueues_nothing_while_the_lock_is_held():
    number = ProcessLock("scheduler").number
    with _other_connection() as other_scheduler:
        other_scheduler.execute("SELECT pg_advisory_lock(%s)", [number])
        assert run_once() == "another scheduler is running: nothing enqueued\n"
    # The other scheduler's connection ended (as when its process dies): once PostgreSQL has
    # finished that session, the lock is free.
    _wait_until_no_one_else_holds(number)
    assert run_once().startswith("enqueued time-limit scan")
    # A one-off run lets go when it is done: the next scheduler is not kept standing by.
    with _other_connection() as next_scheduler:
        taken = next_scheduler.execute("SELECT pg_try_advisory_lock(%s)", [number]).fetchone()
    assert taken == (True,)


def _scheduler(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-u", "manage.py", "run_scheduler"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _next_line(process, timeout=30) -> str:
    deadline = time.monotonic() + timeout
    os.set_blocking(process.stdout.fileno(), False)
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line:
            return line.strip()
        time.sleep(0.05)
    raise AssertionError("the scheduler said nothing")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_standby_takes_over_when_the_scheduler_is_killed():
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-scheduler-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "SCHEDULER_STANDBY_SECONDS": "1",
    }
    first = _scheduler(env)
    second = None
    try:
        assert _next_line(first).startswith("enqueued time-limit scan")
        second = _scheduler(env)
        assert _next_line(second) == "another scheduler is running: standing by"
        killed_at = time.monotonic()
        os.killpg(first.pid, signal.SIGKILL)
        assert _next_line(second) == "the other scheduler stopped: taking over"
        assert _next_line(second).startswith("enqueued time-limit scan")
        assert time.monotonic() - killed_at < 8
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
