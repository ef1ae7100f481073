"""Clocks store the day they turn yellow, filled in for the open ones, and the scan's indexes."""

from django.db import migrations, models

OPEN_STATES = ["running", "yellow", "red", "paused"]


def fill_yellow_days(apps, schema_editor):
    """One UPDATE per distinct yellow day, not per clock (75,000 open clocks at a city's volume).

    The calendar is built from the historical admin entries; closed clocks are never scanned
    and keep no yellow day."""
    from workflow.deadlines.services import store_yellow_dates
    from workflow.deadlines.working_days import WorkingCalendar

    calendar_day = apps.get_model("workflow", "CalendarDay")
    clock = apps.get_model("workflow", "Clock")
    overrides = {
        day: kind == "workday" for day, kind in calendar_day.objects.values_list("date", "kind")
    }
    store_yellow_dates(
        clock.objects.filter(state__in=OPEN_STATES), WorkingCalendar(overrides=overrides)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0009_joint_sessions"),
    ]

    operations = [
        migrations.AddField(
            model_name="clock",
            name="yellow_on",
            field=models.DateField(
                blank=True,
                help_text="用满 80% 工作日的那一天；空表示尚未计算。",
                null=True,
                verbose_name="黄灯日",
            ),
        ),
        migrations.RunPython(fill_yellow_days, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="clock",
            index=models.Index(
                condition=models.Q(("state__in", ["running", "yellow", "red"])),
                fields=["state", "yellow_on"],
                name="clock_scanned_yellow_on_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="clock",
            index=models.Index(
                condition=models.Q(("state__in", ["running", "yellow", "red"])),
                fields=["state", "notified"],
                name="clock_scanned_notified_idx",
            ),
        ),
    ]
