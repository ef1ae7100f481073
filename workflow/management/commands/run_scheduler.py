import time

from django.conf import settings
from django.core.management.base import BaseCommand

from config.singleton import ProcessLock
from workflow.deadlines.tasks import scan_time_limits_task
from workflow.statistics.tasks import refresh_statistics_task


class Command(BaseCommand):
    help = (
        "Run the one scheduler process: enqueue the time-limit scan for the worker every "
        "SCAN_INTERVAL_SECONDS (default 3600), and the daily statistics rollup with it. "
        "One runs per site: a second one stands by and takes over when the first stops."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue one scan and exit.")

    def handle(self, *args, once=False, **options):
        lock = ProcessLock("scheduler")
        standing_by = False
        while True:
            if not lock.acquire():
                if once:
                    self.stdout.write("another scheduler is running: nothing enqueued")
                    return
                if not standing_by:
                    self.stdout.write("another scheduler is running: standing by")
                    standing_by = True
                time.sleep(settings.SCHEDULER_STANDBY_SECONDS)
                continue
            if standing_by:
                self.stdout.write("the other scheduler stopped: taking over")
                standing_by = False
            result = scan_time_limits_task.enqueue()
            self.stdout.write(f"enqueued time-limit scan {result.id}")
            # The leaders' daily rollup: the task returns at once when today's exists.
            refresh_statistics_task.enqueue()
            if once:
                lock.release()
                return
            time.sleep(settings.SCAN_INTERVAL_SECONDS)
