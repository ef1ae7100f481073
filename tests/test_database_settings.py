"""Database connection settings come from the environment (deploy/README.md): persistent
connections or a pool, and a statement timeout that PostgreSQL enforces."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError, connection

PRINT_DATABASE = (
    "import json; from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'age': db['CONN_MAX_AGE'], 'checks': db['CONN_HEALTH_CHECKS'], "
    "'options': db.get('OPTIONS', {})}))"
)


def database_settings(**env) -> dict:
    """`DATABASES['default']` as a fresh process reads it from these variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {PRINT_DATABASE}"],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "settings-test-only",
            "ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": "postgres://app@127.0.0.1:5432/app",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_defaults_keep_connections_and_limit_statements():
    db = database_settings()
    assert db["age"] == 60
    assert db["checks"] is True
    assert db["options"] == {
        "options": "-c jit=off -c statement_timeout=5000 -c max_parallel_workers_per_gather=0"
    }


def test_connection_age_and_statement_timeout_come_from_the_environment():
    db = database_settings(DATABASE_CONN_MAX_AGE="120", DATABASE_STATEMENT_TIMEOUT_MS="750")
    assert db["age"] == 120
    assert db["options"]["options"].startswith("-c jit=off -c statement_timeout=750 ")


def test_parallel_query_workers_come_from_the_environment():
    options = database_settings(DATABASE_PARALLEL_WORKERS="2")["options"]["options"]
    assert options.endswith(" -c max_parallel_workers_per_gather=2")
    # A negative value leaves the server's own setting alone.
    options = database_settings(DATABASE_PARALLEL_WORKERS="-1")["options"]["options"]
    assert "max_parallel_workers_per_gather" not in options


def test_long_running_processes_turn_the_statement_timeout_off():
    options = database_settings(DATABASE_STATEMENT_TIMEOUT_MS="0")["options"]
    assert "statement_timeout" not in options["options"]


def test_a_pool_replaces_persistent_connections():
    db = database_settings(DATABASE_POOL_MAX_SIZE="4", DATABASE_CONN_MAX_AGE="60")
    assert db["age"] == 0
    assert db["checks"] is False
    assert db["options"]["pool"]["max_size"] == 4


def test_development_closes_connections_after_each_request():
    assert database_settings(DEBUG="true")["age"] == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_cancels_a_statement_longer_than_the_timeout():
    with connection.cursor() as cursor:
        # The connection options set the session's limit (5000 ms unless configured); a shorter
        # one for this transaction keeps the test quick and is cancelled the same way.
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
        assert int(cursor.fetchone()[0]) == settings.DATABASE_STATEMENT_TIMEOUT_MS > 0
        cursor.execute("SET LOCAL statement_timeout = 200")
        with pytest.raises(OperationalError, match="statement timeout"):
            cursor.execute("SELECT pg_sleep(2)")


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_starts_no_parallel_workers_for_a_request():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert int(cursor.fetchone()[0]) == settings.DATABASE_PARALLEL_WORKERS == 0
