"""A lock held for a process's lifetime, so that one process of a kind runs per site.

The scheduler takes it: a second scheduler started by mistake (another node, a restart that
overlapped) stands by and takes over only when the first stops. On PostgreSQL it is a
session-level advisory lock on the process's own database connection: PostgreSQL releases it
when that connection ends, so a scheduler killed with SIGKILL, or a node that dies, frees it at
once. On SQLite (one machine) it is a file lock, named for the database file, in the
temporary directory.
"""

import fcntl
import hashlib
import tempfile
from pathlib import Path

from django.db import DatabaseError, connection


class ProcessLock:
    def __init__(self, name: str):
        self.name = name
        # Advisory locks are numbered: a stable 63-bit number from the name.
        self.number = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") >> 1
        self._file = None

    def acquire(self) -> bool:
        """Take the lock if it is free (or already ours); never waits."""
        if connection.vendor != "postgresql":
            return self._file_acquire()
        try:
            return self._postgres_acquire()
        except DatabaseError:
            # The connection broke (the database restarted): the lock went with it. Start a
            # new connection next time; another process may have taken the lock meanwhile.
            connection.close()
            return False

    def release(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.number])
        elif self._file is not None:
            self._file.close()  # closing the file drops its lock
            self._file = None

    def _postgres_acquire(self) -> bool:
        with connection.cursor() as cursor:
            # Ours already? (The database may have restarted, which frees it: ask, don't assume.)
            cursor.execute(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND pid = pg_backend_pid() AND (classid::bigint << 32) + objid::bigint = %s",
                [self.number],
            )
            if cursor.fetchone():
                return True
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.number])
            return cursor.fetchone()[0]

    def _file_acquire(self) -> bool:
        if self._file is not None:
            return True
        database = hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:16]
        path = Path(tempfile.gettempdir()) / f"shenlianti-{database}.{self.name}.lock"
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True
