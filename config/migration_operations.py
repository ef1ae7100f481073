"""Migration operations that keep the site serving while they run on a large table.

`AddIndexWithoutLocking` is `AddIndex` that, on PostgreSQL, builds the index with
`CREATE INDEX CONCURRENTLY` (writes go on while it builds) and elsewhere (SQLite: development)
as usual. Its migration must say `atomic = False`: PostgreSQL builds a concurrent index
outside a transaction. docs/upgrades.md has the rules; tests/test_migration_safety.py holds
new migrations to them.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddIndex


class AddIndexWithoutLocking(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
