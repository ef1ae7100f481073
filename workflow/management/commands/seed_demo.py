from django.core.management.base import BaseCommand

from workflow.demo import seed_demo


class Command(BaseCommand):
    help = "Load the Haishu demo organisations, accounts and cases (safe to run again)."

    def handle(self, *args, **options):
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded; password: shenlianti-demo"))
