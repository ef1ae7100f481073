from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workflow.lifecycle_docs import render

DOC = Path(settings.BASE_DIR) / "docs" / "lifecycle.md"


class Command(BaseCommand):
    help = "Write docs/lifecycle.md from the state machines (--check: fail if it is stale)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check=False, **options):
        text = render()
        if check:
            if not DOC.exists() or DOC.read_text() != text:
                raise CommandError("docs/lifecycle.md is stale: run manage.py lifecycle_docs")
            return
        DOC.write_text(text)
        self.stdout.write(f"Wrote {DOC}")
