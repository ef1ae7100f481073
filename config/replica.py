"""Reads that may go to a read replica: the leaders' figures and the exports.

With `DATABASE_REPLICA_URL` set, the settings add a `replica` database. A view or task that
only reads, and may read a few seconds behind, runs inside `reads_from_replica()` (or under
the `from_replica` decorator); every query of the ORM in it reads from the replica. Writes
always go to the primary, and so does every read outside such a block (a page that shows
what its own request just wrote must read the primary). Without a replica nothing changes.
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading_from_replica = ContextVar("reading_from_replica", default=False)


@contextmanager
def reads_from_replica():
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def from_replica(function):
    @functools.wraps(function)
    def run(*args, **kwargs):
        with reads_from_replica():
            return function(*args, **kwargs)

    return run


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        # Named, not left to Django: an object read from the replica would be saved there.
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
