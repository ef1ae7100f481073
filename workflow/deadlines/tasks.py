"""Background tasks (django-tasks) of the deadlines, run by the worker (`manage.py db_worker`)."""

from django_tasks import task

from workflow.deadlines.scan import scan_time_limits


@task()
def scan_time_limits_task() -> dict:
    """The periodic time-limit scan, enqueued by `manage.py run_scheduler`."""
    return vars(scan_time_limits())
