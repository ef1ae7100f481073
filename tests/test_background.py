"""Background work: emails leave from a task, the scan runs as a task, a real worker runs it."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from tests import factories
from workflow.deadlines.models import Clock
from workflow.notifications.models import Notification

D = datetime.date


def test_deadline_warnings_are_mailed_once_by_the_task(
    settings,
    monkeypatch,
    enterprise_user,
    coordinator,
    category,
    django_capture_on_commit_callbacks,
):
    monkeypatch.delenv("SHENLIANTI_TODAY", raising=False)
    coordinator.email = "coordinator@example.org"
    coordinator.save()
    settings.SHENLIANTI_TODAY = "2026-11-20"
    factories.case(enterprise_user, category=category)
    settings.SHENLIANTI_TODAY = "2026-11-23"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once", stdout=open(os.devnull, "w"))  # noqa: SIM115
    deadline = [m for m in mail.outbox if "时限提醒" in m.subject]
    assert len(deadline) == 1 and deadline[0].to == ["coordinator@example.org"]
    note = Notification.objects.get(recipient=coordinator, kind="deadline")
    assert note.emailed_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_process_runs_the_scan_from_the_database_queue(
    settings, enterprise_user, category
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SHENLIANTI_TODAY = "2026-11-20"
    case = factories.case(enterprise_user, category=category)
    from workflow.deadlines.tasks import scan_time_limits_task

    queued = scan_time_limits_task.enqueue()
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "SHENLIANTI_TODAY": "2026-11-24",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-worker-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--max-tasks", "1", "--no-startup-delay"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
    )
    queued.refresh()
    assert queued.status == "SUCCESSFUL"
    assert Clock.objects.get(case=case).state == "red"
