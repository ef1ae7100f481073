import time

from django.conf import settings
from django.core.management.base import BaseCommand

from workflow.deadlines.tasks import scan_time_limits_task
from workflow.statistics.tasks import refresh_statistics_task


class Command(BaseCommand):
    help = (
        "Run the one scheduler process: enqueue the time-limit scan for the worker every "
        "SCAN_INTERVAL_SECONDS (default 3600), and the daily statistics rollup with it. "
        "Run exactly one per site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue one scan and exit.")

    def handle(self, *args, once=False, **options):
        while True:
            result = scan_time_limits_task.enqueue()
            self.stdout.write(f"enqueued time-limit scan {result.id}")
            # The leaders' daily rollup: the task returns at once when today's exists.
            refresh_statistics_task.enqueue()
            if once:
                return
            time.sleep(settings.SCAN_INTERVAL_SECONDS)
