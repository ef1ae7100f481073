"""Writing generated rows fast: COPY on PostgreSQL, executemany on SQLite.

Rows bypass the models (no ``save()``, no signals), so the loader builds them complete and
valid. On PostgreSQL the foreign keys of the tables being loaded are dropped for the load and
re-added before commit, all in the load's one transaction: re-adding validates each key with
one join over the table, where keeping them would queue one deferred check per row and run
them all at commit (8 minutes for a million cases in an earlier attempt). If the load fails the
transaction rolls back, the dropped keys included.
"""

import time
from collections import defaultdict

from django.core.management.color import no_style
from django.db import models


class Writer:
    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.seconds = defaultdict(float)
        self.counts = defaultdict(int)

    def write(self, model, columns, rows) -> None:
        if not rows:
            return
        started = time.monotonic()
        table = model._meta.db_table
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                adapt = self._adapters(model, columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",
                    [[a(v) if a else v for a, v in zip(adapt, row, strict=True)] for row in rows],
                )
        self.seconds[table] += time.monotonic() - started
        self.counts[table] += len(rows)

    def _adapters(self, model, columns):
        """SQLite stores dates and datetimes as text in Django's format (UTC, naive)."""
        ops = self.connection.ops
        fields = {f.attname: f for f in model._meta.concrete_fields}
        adapters = []
        for column in columns:
            field = fields[column]
            if isinstance(field, models.DateTimeField):
                adapters.append(ops.adapt_datetimefield_value)
            elif isinstance(field, models.DateField):
                adapters.append(ops.adapt_datefield_value)
            else:
                adapters.append(None)
        return adapters

    def drop_foreign_keys(self, models_) -> list[tuple[str, str, str]]:
        """Drop the foreign keys of these tables; returns what restore_foreign_keys needs."""
        if not self.postgres:
            return []
        tables = [m._meta.db_table for m in models_]
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            # Checks already queued in this transaction (the organisations and people) run now:
            # PostgreSQL refuses to alter a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
                "ORDER BY 1, 2",
                [tables],
            )
            keys = cursor.fetchall()
            for table, name, _definition in keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {self._quote(name)}")
        return keys

    def drop_indexes(self, models_) -> list[str]:
        """Drop the secondary indexes of these tables; returns their definitions.

        Building an index once over the loaded rows is several times faster than updating it
        row by row. Indexes that back a constraint (primary keys, unique) stay, so duplicates
        are still refused as they arrive."""
        if not self.postgres:
            return []
        tables = [m._meta.db_table for m in models_]
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
        return [definition for _name, definition in indexes]

    def restore_indexes(self, definitions) -> None:
        started = time.monotonic()
        with self.connection.cursor() as cursor:
            for definition in definitions:
                cursor.execute(definition)
        self.seconds["indexes"] += time.monotonic() - started

    def restore_foreign_keys(self, keys) -> None:
        started = time.monotonic()
        with self.connection.cursor() as cursor:
            for table, name, definition in keys:
                # Validates every row of the table against its parent in one join.
                cursor.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT {self._quote(name)} {definition}"
                )
            if self.postgres:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's keys start deferred
        self.seconds["foreign keys"] += time.monotonic() - started

    def _quote(self, name):
        return self.connection.ops.quote_name(name)

    def reset_sequences(self, models_) -> None:
        """Move each id sequence past the ids written explicitly."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), models_)
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def analyze(self, models_) -> None:
        if not self.postgres:
            return
        started = time.monotonic()
        with self.connection.cursor() as cursor:
            for model in models_:
                cursor.execute(f"ANALYZE {self._quote(model._meta.db_table)}")
        self.seconds["analyze"] += time.monotonic() - started
