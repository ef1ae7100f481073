"""`manage.py sync_case_access`: every case's access rows made equal to its involvements again.

Run once after rolling out the release that added `CaseAccess` (docs/upgrades.md): the previous
release, serving while the migration ran, did not write access rows. Safe to run again.
"""

from django.core.management.base import BaseCommand

from cases.models import resync_case_access


class Command(BaseCommand):
    help = "Make every case's access rows equal to its involvements (after an upgrade)."

    def handle(self, *args, **options):
        added, removed = resync_case_access()
        self.stdout.write(f"Access rows added: {added}; removed: {removed}.")
