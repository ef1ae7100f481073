"""Reads inside `reads_from_replica()` go to the replica when one is configured; writes never."""

import os
import subprocess
import sys

from django.conf import settings

from cases.models import Case
from config.replica import ReplicaRouter, from_replica, reads_from_replica


def test_only_reads_in_a_replica_block_go_to_the_replica(monkeypatch):
    router = ReplicaRouter()
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))
    assert router.db_for_read(Case) == "default"
    with reads_from_replica():
        assert router.db_for_read(Case) == "replica"
        assert router.db_for_write(Case) == "default"
    assert router.db_for_read(Case) == "default"
    assert from_replica(lambda: router.db_for_read(Case))() == "replica"


def test_without_a_replica_everything_reads_the_primary():
    assert "replica" not in settings.DATABASES
    with reads_from_replica():
        assert ReplicaRouter().db_for_read(Case) == "default"


def test_the_replica_is_configured_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "DATABASE_URL": "postgres://app@10.0.0.1:5432/shenlianti",
        "DATABASE_REPLICA_URL": "postgres://reader@10.0.0.2:5432/shenlianti",
        "DATABASE_STATEMENT_TIMEOUT_MS": "5000",
    }
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " r = settings.DATABASES['replica']; print(r['HOST'], r['USER'], r['TEST']['MIRROR'],"
            " 'statement_timeout' in r['OPTIONS']['options'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout.split(" ", 2)
    assert shown[:2] == ["10.0.0.2", "reader"]
    assert shown[2].strip() == "default True"


def test_the_leaders_figures_read_from_the_replica(monkeypatch, as_user, coordinator):
    """The statistics pages and API run their figures inside `reads_from_replica()`."""
    from config import replica

    seen = []
    original = replica.ReplicaRouter.db_for_read
    monkeypatch.setattr(
        replica.ReplicaRouter,
        "db_for_read",
        lambda self, model, **hints: (
            seen.append(replica._reading_from_replica.get()) or original(self, model, **hints)
        ),
    )
    assert as_user(coordinator).get("/statistics/").status_code == 200
    assert True in seen  # some reads were marked for the replica
    seen.clear()
    assert as_user(coordinator).get("/api/v1/statistics/overview/").status_code == 200
    assert True in seen and seen[0] is False  # sign-in read the primary first
