"""Case access: one visibility row per organisation or person and case, filled from the
involvements, with its case's created_at; the cases of an enterprise newest first.

The table is new and nothing reads it until this release's code runs: it is filled in one
INSERT … SELECT before its indexes are built (docs/upgrades.md).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from config.migration_operations import AddIndexWithoutLocking

FILL = """
INSERT INTO cases_caseaccess (case_id, organisation_id, person_id, case_created_at)
SELECT viewer.case_id, viewer.organisation_id, viewer.person_id, cases_case.created_at
FROM (SELECT DISTINCT case_id, organisation_id, person_id FROM cases_caseinvolvement) viewer
JOIN cases_case ON cases_case.id = viewer.case_id
ORDER BY viewer.organisation_id, viewer.person_id, cases_case.created_at
"""


class Migration(migrations.Migration):
    atomic = False  # case_by_enterprise is built concurrently
    safe_on_large_tables = (
        "creates and fills a new table nothing reads yet (one row per involved organisation "
        "and case), then builds its indexes: 28 s for 1,152,936 involvements (1,000,000 cases) "
        "on the shared 2-core machine at load average 10; the involvements are only read"
    )
    dependencies = [
        ("cases", "0013_interchange"),
        ("departments", "0003_harden_auth"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("case_created_at", models.DateTimeField(editable=False)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="accesses",
                        to="cases.case",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="departments.organisation",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "可见范围",
                "verbose_name_plural": "可见范围",
            },
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="caseaccess",
            index=models.Index(
                condition=models.Q(("organisation__isnull", False)),
                fields=["organisation", "-case_created_at", "-case"],
                name="access_org_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="caseaccess",
            index=models.Index(
                condition=models.Q(("person__isnull", False)),
                fields=["person", "-case_created_at", "-case"],
                name="access_person_newest",
            ),
        ),
        migrations.AddConstraint(
            model_name="caseaccess",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("organisation__isnull", False), ("person__isnull", True)),
                    models.Q(("organisation__isnull", True), ("person__isnull", False)),
                    _connector="OR",
                ),
                name="access_is_organisation_or_person",
            ),
        ),
        migrations.AddConstraint(
            model_name="caseaccess",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organisation__isnull", False)),
                fields=("case", "organisation"),
                name="unique_organisation_access",
            ),
        ),
        migrations.AddConstraint(
            model_name="caseaccess",
            constraint=models.UniqueConstraint(
                condition=models.Q(("person__isnull", False)),
                fields=("case", "person"),
                name="unique_person_access",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="case",
            index=models.Index(
                fields=["enterprise", "-created_at", "-id"], name="case_by_enterprise"
            ),
        ),
    ]
