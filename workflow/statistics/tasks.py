"""Background tasks (django-tasks) of the statistics, run by the worker (`manage.py db_worker`)."""

from django_tasks import task

from workflow.statistics.rollup import refresh


@task()
def refresh_statistics_task(force: bool = False) -> dict:
    """The daily rollup of the board and the league table (rollup.py), enqueued by
    `manage.py run_scheduler` with each scan; a no-op once today's snapshots exist."""
    return refresh(force=force)
