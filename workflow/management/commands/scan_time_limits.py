from django.core.management.base import BaseCommand

from workflow.deadlines.scan import scan_time_limits


class Command(BaseCommand):
    help = (
        "Scan every running time limit once: yellow and red warnings, auto-close unanswered "
        "cases. Set SHENLIANTI_TODAY=YYYY-MM-DD to scan as of another day."
    )

    def handle(self, *args, **options):
        result = scan_time_limits()
        self.stdout.write(
            f"checked {result.checked}, yellow {result.yellow}, red {result.red}, "
            f"closed unanswered {result.closed_unanswered}"
        )
