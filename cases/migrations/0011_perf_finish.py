"""Involvements copy their case's created_at, indexed by organisation and by person.

The copy is filled in one UPDATE … FROM over the whole table (about a second per 100,000
involvements on PostgreSQL), before the column is made NOT NULL and indexed.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    safe_on_large_tables = (
        "fills and indexes a new column on the involvements in one pass: 1 min 48 s for "
        "1,152,727 involvements (1,000,000 cases), in a maintenance window (CHANGELOG)"
    )
    dependencies = [
        ("cases", "0010_case_under_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseinvolvement",
            name="case_created_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunSQL(
            "UPDATE cases_caseinvolvement SET case_created_at = cases_case.created_at"
            " FROM cases_case WHERE cases_case.id = cases_caseinvolvement.case_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="caseinvolvement",
            name="case_created_at",
            field=models.DateTimeField(editable=False),
        ),
        migrations.AddIndex(
            model_name="caseinvolvement",
            index=models.Index(
                condition=models.Q(("organisation__isnull", False)),
                fields=["organisation", "-case_created_at"],
                name="involvement_org_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="caseinvolvement",
            index=models.Index(
                condition=models.Q(("person__isnull", False)),
                fields=["person", "-case_created_at"],
                name="involvement_person_newest",
            ),
        ),
    ]
