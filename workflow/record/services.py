"""Appending to the event log. Every service that changes a case calls `record_event` inside
its transaction, so the event commits or rolls back with the change it describes; once it commits it
is broadcast to the case's live subscribers. `fire_case` fires a case transition and records it
in one step. A kind not registered in `workflow/record/kinds.py` is refused before anything is
written, so every kind the code records has a label in both languages."""

from cases.models import Case
from config.fsm import fire
from config.locking import is_locked
from workflow.realtime.publish import publish_event
from workflow.record.kinds import event_kind
from workflow.record.models import Event


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
    event_kind(kind)  # raises UnknownEventKind
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


def fire_case(case, name, by, *, event_payload=None, args=(), internal=False):
    """Lock the case, fire `name`, and record it as an event; return the locked case."""
    if not is_locked(case):
        case = Case.objects.select_for_update().get(pk=case.pk)
    from_state, to_state = fire(case, name, by, *args)
    record_event(
        case=case,
        kind=name,
        actor=by,
        from_state=from_state,
        to_state=to_state,
        payload=event_payload,
        internal=internal,
    )
    return case
