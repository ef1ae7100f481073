"""The extension point for joint-session streams (`/ws/sessions/<id>/`).

The sessions code registers one function, `access(session_id, user)`, that answers who may
watch a session: True (may), False (sees the session but may not watch: 4403), None (unknown
or not visible: 4404). Until one is registered every session is unknown. It publishes with
`publish_session`, inside its transaction like `record_event`.
"""

from collections.abc import Callable

from django.db import transaction

from workflow.realtime import groups, messages
from workflow.realtime.publish import send

Access = Callable[[int, object], bool | None]

_access: Access | None = None


def register(access: Access) -> None:
    global _access
    _access = access


def access(session_id: int, user) -> bool | None:
    return _access(session_id, user) if _access is not None else None


def publish_session(session_id: int, kind: str, payload: dict) -> None:
    """Send `{"type": "session", "session": id, "kind": kind, "payload": …}` after commit."""
    message = messages.session_message(session_id, kind, payload)
    group = groups.session_group(session_id)
    transaction.on_commit(lambda: send(group, message), robust=True)
