"""Row locks taken once per transaction.

A transition locks its row (`select_for_update`) before it reads the state it changes. The API
reads the object the caller may see under that lock at once, in the same statement as the
visibility rule (config/api/transitions.py); the service it calls would otherwise read and lock
the same row again. `mark_locked` notes on an instance that it was read under a lock inside the
current atomic block; `is_locked` is true only while that block is still open, so an instance
kept past its transaction is read again.
"""

from django.db import connection


def mark_locked(instance):
    """`instance` was just read with select_for_update inside the current atomic block."""
    if not connection.in_atomic_block:
        raise RuntimeError("a row lock lasts only inside transaction.atomic()")
    instance._locked_under = connection.atomic_blocks[-1]
    return instance


def is_locked(instance) -> bool:
    block = getattr(instance, "_locked_under", None)
    return block is not None and any(open_block is block for open_block in connection.atomic_blocks)
