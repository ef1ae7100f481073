"""Bigram indexes for two-character search terms, on PostgreSQL only.

Most Chinese words have two characters, and a trigram index cannot serve a two-character
substring (it has no trigram). `shenlianti_bigrams(text)` lists the distinct two-character
pieces of a text; a GIN index over it finds the cases holding one piece, with a row estimate
the planner can trust (cases.search). The function is priced high so that, reading cases in
order, PostgreSQL tests the cheap LIKE first and computes the pieces only where it matched.
Built concurrently; SQLite keeps its plain scan.
"""

from django.db import migrations

COLUMNS = ["title", "description", "project_name"]

FUNCTION = """
CREATE OR REPLACE FUNCTION shenlianti_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT COST 1000 AS $$
  SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
  FROM generate_series(1, char_length(value) - 1) AS i
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS case_{column}_bigrams "
            f"ON cases_case USING gin (shenlianti_bigrams(UPPER({column}::text)))"
        )
    # The planner's row estimates for these expressions come from the statistics of the new
    # indexes, which exist only after an ANALYZE.
    schema_editor.execute("ANALYZE cases_case")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS case_{column}_bigrams")
    schema_editor.execute("DROP FUNCTION IF EXISTS shenlianti_bigrams(text)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0007_text_search_trigrams")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
