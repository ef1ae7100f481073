"""Trigram indexes for the case search (`q`), on PostgreSQL only.

The search is `UPPER(column) LIKE UPPER('%term%')` (Django's icontains) on four columns; a GIN
index of trigrams over the same expression serves it at a million cases (pg_trgm is a trusted
extension: the database owner may create it). Built concurrently so a live table is not locked;
SQLite keeps its plain scan.
"""

from django.db import migrations

COLUMNS = ["title", "description", "project_name", "reference"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS case_{column}_trigrams "
            f"ON cases_case USING gin (UPPER({column}::text) gin_trgm_ops)"
        )
    # The planner's row estimates for these expressions come from the statistics of the new
    # indexes, which exist only after an ANALYZE.
    schema_editor.execute("ANALYZE cases_case")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS case_{column}_trigrams")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0006_recently_updated_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
