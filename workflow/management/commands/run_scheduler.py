import time

from django.conf import settings
from django.core.management.base import BaseCommand

from config.singleton import ProcessLock
from workflow.deadlines.tasks import scan_time_limits_task
from workflow.notifications.tasks import requeue_stalled_mail
from workflow.statistics.tasks import refresh_statistics_task


class Command(BaseCommand):
    help = (
        "Run the one scheduler process: enqueue the time-limit scan for the worker every "
        "SCAN_INTERVAL_SECONDS (default 3600), and the daily statistics rollup with it; every "
        "MAIL_RESCUE_SECONDS (60) put back in the queue the mail tasks whose worker died. "
        "One runs per site: a second one stands by and takes over when the first stops."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue one scan and exit.")

    def handle(self, *args, once=False, **options):
        lock = ProcessLock("scheduler")
        standing_by = False
        next_scan = 0.0
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
            if time.monotonic() >= next_scan:
                result = scan_time_limits_task.enqueue()
                self.stdout.write(f"enqueued time-limit scan {result.id}")
                # The leaders' daily rollup: the task returns at once when today's exists.
                refresh_statistics_task.enqueue()
                next_scan = time.monotonic() + settings.SCAN_INTERVAL_SECONDS
            requeued = requeue_stalled_mail()
            if requeued:
                self.stdout.write(f"put back {requeued} mail tasks whose worker stopped")
            if once:
                lock.release()
                return
            time.sleep(max(0.0, min(settings.MAIL_RESCUE_SECONDS, next_scan - time.monotonic())))
