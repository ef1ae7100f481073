"""Appending to the event log. Every service that changes a case calls `record_event` inside
its transaction, so the event commits or rolls back with the change it describes; once it commits it
is broadcast to the case's live subscribers."""

from workflow.models import Event
from workflow.realtime.publish import publish_event


def record_event(
    *,
    case,
    kind: str,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    action_item=None,
    payload: dict | None = None,
    internal: bool = False,
) -> Event:
    event = Event.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        actor_organisation_id=getattr(actor, "organisation_id", None),
        action_item=action_item,
        from_state=from_state,
        to_state=to_state,
        payload=payload or {},
        internal=internal,
    )
    publish_event(event)
    return event
