from django.core.management.base import BaseCommand, CommandError

from workflow.loadgen.loader import LoadRefused, seed_load


class Command(BaseCommand):
    help = (
        "Load N cases of realistic load-test data (organisations, people, three years of cases "
        "with events, action items, clocks and joint sessions). Refuses a database that holds "
        "cases unless --force, which appends and never deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="how many cases to load")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
        parser.add_argument(
            "--force",
            action="store_true",
            help="append to a database that already holds cases (nothing is deleted)",
        )

    def handle(self, *args, cases, seed, force, **options):
        try:
            seed_load(cases=cases, seed=seed, force=force, log=self.stdout.write)
        except (LoadRefused, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Loaded {cases:,} cases (seed {seed})."))
