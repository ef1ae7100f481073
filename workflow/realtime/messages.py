"""The messages clients receive, one definition each. Every message is JSON with a `type`.

- `event`: `{"type": "event", "event": {id, case, kind, actor, from_state, to_state,
  action_item, payload, created_at}}`, one per committed entry of a case's event log.
- `notification`: `{"type": "notification", "notification": {id, kind, title, body, url,
  case, created_at}}`, one per notification written for the connected person.
- `session`: `{"type": "session", "session": <id>, "kind": <str>, "payload": {...}}`, what
  the sessions code publishes about a joint session.
- `notifications_read`: `{"type": "notifications_read", "unread": <int>}`, after the person
  marked notifications read (in any tab or device), with what is still unread.
- `replay_done`: `{"type": "replay_done", "last_id": <int|null>}`, after the events missed
  since `?since=` have been sent.
"""

from django.utils import translation

EVENT = "event"
NOTIFICATION = "notification"
NOTIFICATIONS_READ = "notifications_read"
REPLAY_DONE = "replay_done"
SESSION = "session"


def event_payload(event) -> dict:
    return {
        "id": event.pk,
        "case": event.case_id,
        "kind": event.kind,
        "actor": event.actor_id,
        "actor_organisation": event.actor_organisation_id,
        "action_item": event.action_item_id,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "payload": event.payload,
        "created_at": event.created_at.isoformat(),
    }


def notification_payload(notification, language: str | None = None) -> dict:
    """Put into words in `language` (the recipient's), else the active language."""
    with translation.override(language or translation.get_language()):
        title, body = notification.render()
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": title,
        "body": body,
        "url": notification.url,
        "case": notification.case_id,
        "created_at": notification.created_at.isoformat() if notification.created_at else None,
    }


def event_message(event) -> dict:
    return {"type": EVENT, "event": event_payload(event)}


def notification_message(notification, language: str | None = None) -> dict:
    return {"type": NOTIFICATION, "notification": notification_payload(notification, language)}


def notifications_read_message(unread: int) -> dict:
    return {"type": NOTIFICATIONS_READ, "unread": unread}


def replay_done_message(last_id) -> dict:
    return {"type": REPLAY_DONE, "last_id": last_id}


def session_message(session_id, kind: str, payload: dict) -> dict:
    return {"type": SESSION, "session": session_id, "kind": kind, "payload": payload}
