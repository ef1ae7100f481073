"""/healthz and /readyz: what a proxy, a container platform and an operator poll."""

import socket
from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.test import override_settings
from django.utils import timezone

from config import health


@pytest.fixture(autouse=True)
def _migrations_checked_afresh(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


def test_healthz_answers_without_sign_in_host_or_database(client):
    # No django_db mark: touching the database here would raise.
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")  # a balancer asks by address
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_reports_each_check_when_all_hold(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/readyz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "redis", "task_queue"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_database_fails(client, monkeypatch):
    def refuse():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "_check_database", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    # The failure is named by its kind, never with its message (which may hold addresses).
    database = body["checks"]["database"]
    assert (database["ok"], database["error"]) == (False, "DatabaseError")
    assert "refused" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_is_unavailable_while_migrations_are_pending(client, monkeypatch):
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("cases", "0099")]
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["ok"] is False


@pytest.mark.django_db
def test_readyz_is_unavailable_quickly_when_redis_is_down(client):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{closed_port}/0"):
        response = client.get("/readyz")
    assert response.status_code == 503
    redis_check = response.json()["checks"]["redis"]
    assert redis_check["ok"] is False
    assert redis_check["ms"] < 1500


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_readyz_gives_the_task_queue_depth_and_the_oldest_wait(client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from workflow.deadlines.tasks import scan_time_limits_task

    assert client.get("/readyz").json()["checks"]["task_queue"]["depth"] == 0
    scan_time_limits_task.enqueue()
    scan_time_limits_task.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/readyz")
    assert response.status_code == 200  # a backlog is reported, not a reason to stop serving
    queue = response.json()["checks"]["task_queue"]
    assert queue["depth"] == 2
    assert 299 <= queue["oldest_age_seconds"] <= 330
