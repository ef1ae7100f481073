"""A case's open clocks by due date, for the lists' `?overdue=` and `?due_within=` filters
(docs/performance.md, run F). Built concurrently: writes go on meanwhile."""

from django.db import migrations, models

from config.migration_operations import AddIndexWithoutLocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("workflow", "0018_interchange"),
    ]

    operations = [
        AddIndexWithoutLocking(
            model_name="clock",
            index=models.Index(
                condition=models.Q(("state__in", ["running", "yellow", "red", "paused"])),
                fields=["case", "due"],
                name="clock_open_by_case",
            ),
        ),
    ]
