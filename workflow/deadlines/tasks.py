"""Background tasks (django-tasks) of the deadlines, run by the worker (`manage.py db_worker`)."""

from django_tasks import task

from config.request_id import carries_request_id
from workflow.deadlines.scan import scan_time_limits


@task()
@carries_request_id
def scan_time_limits_task() -> dict:
    """The periodic time-limit scan, enqueued by `manage.py run_scheduler`."""
    return vars(scan_time_limits())
