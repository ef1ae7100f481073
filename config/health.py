"""Health checks for the proxy, the container platform and the operator.

`/healthz` says the process is alive and serving: it touches nothing else, so a slow database
never gets a node killed. `/readyz` says the node can do its work: the database answers and
has every migration applied, Redis answers (when the channel layer uses it) and the task queue
can be read (with its depth and the age of its oldest waiting task). It answers 200 when all
hold and 503 otherwise, with one line per check and no error text (the logs have that).

Both are answered by a middleware placed first, before the host check, the HTTPS redirect,
sessions and sign-in: a load balancer asks by IP over plain HTTP, and a health check should
cost a request nothing it does not need.
"""

import logging
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min
from django.http import JsonResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

# Seconds a check may wait for Redis before it counts as down.
REDIS_TIMEOUT = 1.0


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return _answer({"status": "ok"}, ok=True)
        if request.path == "/readyz":
            checks = {
                "database": _timed(_check_database),
                "migrations": _timed(_check_migrations),
                "redis": _timed(_check_redis),
                "task_queue": _timed(_check_task_queue),
            }
            ok = all(check["ok"] for check in checks.values())
            return _answer({"status": "ok" if ok else "unavailable", "checks": checks}, ok=ok)
        return self.get_response(request)


def _answer(body, *, ok):
    response = JsonResponse(body, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


def _timed(check):
    started = time.perf_counter()
    try:
        result = {"ok": True, **(check() or {})}
    except Exception as error:  # a check that cannot run is a failed check, never a 500
        logger.warning("readiness check %s failed: %s", check.__name__, error)
        result = {"ok": False, "error": type(error).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


# Once every migration is applied it stays so until the next deployment restarts the process,
# so the (disk-reading) plan is worked out only until it first comes back empty.
_migrations_applied = False


def _check_migrations():
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise DatabaseError(f"{len(pending)} migrations not applied")
        _migrations_applied = True


def _check_redis():
    if not settings.REDIS_URL:
        return {"used": False}
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )
    try:
        client.ping()
    finally:
        client.close()
    return {"used": True}


def task_queue_backlog() -> tuple[int, float] | None:
    """Tasks waiting in the database queue and how long the oldest has waited, in seconds;
    None when tasks do not go through the database (tests, an immediate backend)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return None
    from django_tasks_db.models import DBTaskResult  # a model: imported once apps are ready

    waiting = DBTaskResult.objects.ready().aggregate(depth=Count("id"), oldest=Min("enqueued_at"))
    if waiting["oldest"] is None:
        return waiting["depth"], 0.0
    return waiting["depth"], (timezone.now() - waiting["oldest"]).total_seconds()


def _check_task_queue():
    backlog = task_queue_backlog()
    if backlog is None:
        return {"backend": settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]}
    depth, age = backlog
    return {"depth": depth, "oldest_age_seconds": round(age, 1)}
