"""The record is append-only at the database (PostgreSQL): triggers refuse UPDATE, DELETE and
TRUNCATE on the events, opinions, resolutions and rule amendments, whoever connects.

One exception, for maintenance only: TRUNCATE by the tables' owner (or a superuser) in a
session that has set `shenlianti.record_maintenance = on`, which is how the test suite empties
its own database between transactional tests (Django's flush truncates every table). The web
processes connect as a role that is not the owner (deploy/README.md), so the exception never
applies to them; an owner could as well drop the trigger, which is why the role matters.

SQLite has no such triggers; the models' Python guards refuse there (docs/record.md).
"""

import django.db.models.deletion
from django.db import migrations, models

RECORD_TABLES = [
    "workflow_event",
    "workflow_opinion",
    "workflow_resolution",
    "workflow_ruleamendment",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION shenlianti_record_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
        AND current_setting('shenlianti.record_maintenance', true) = 'on'
        AND pg_has_role(
            current_user,
            (SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID),
            'USAGE'
        )
    THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the record is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Events, opinions, resolutions and rule amendments are never changed.';
END;
$$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in RECORD_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER record_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION shenlianti_record_is_append_only()"
        )
        schema_editor.execute(
            f"CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION shenlianti_record_is_append_only()"
        )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in RECORD_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS record_append_only ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS record_no_truncate ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS shenlianti_record_is_append_only()")


class Migration(migrations.Migration):
    safe_on_large_tables = "creates the record's triggers on PostgreSQL (catalogue only, no row read or written)"
    dependencies = [
        ("workflow", "0015_leaders_stats"),
    ]

    operations = [
        # The record never goes with what it is about: no cascade issues a DELETE here.
        migrations.AlterField(
            model_name="opinion",
            name="participant",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="opinions",
                to="workflow.sessionparticipant",
            ),
        ),
        migrations.AlterField(
            model_name="ruleamendment",
            name="rule_item",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="amendments",
                to="workflow.ruleitem",
            ),
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
