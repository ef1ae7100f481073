"""Messages to external systems: every change of state of a case becomes one message per
subscribed system, written in the transaction that changed the case (so a rolled-back change
sends nothing) and handed to the worker after commit (tasks.deliver_pending). Nothing is sent
inside a request."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone, translation

from cases.models import Case
from workflow.interchange.models import Delivery, ExternalCase, ExternalSystem
from workflow.interchange.tasks import deliver_pending
from workflow.record.models import Event

CLOSED_STATES = {
    Case.Status.RESOLVED,
    Case.Status.CLOSED,
    Case.Status.REJECTED,
    Case.Status.WITHDRAWN,
}


def open311_status(state: str) -> str:
    """Open311 knows two states: a case is closed once the office has resolved it, or it
    ended otherwise (rejected, withdrawn); dissatisfaction reopens it."""
    return "closed" if state in CLOSED_STATES else "open"


def subscribers(case_id: int):
    """The live systems with a callback that hear about this case: those subscribed to every
    case, and the one that filed it."""
    return (
        ExternalSystem.objects.filter(revoked_at__isnull=True)
        .exclude(callback_url="")
        .filter(Q(subscription=ExternalSystem.Subscription.ALL) | Q(cases__case_id=case_id))
        .distinct()
    )


def transition_payload(event: Event, case: Case, external_reference: str | None) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        label = str(Case.Status(event.to_state).label)
    return {
        "type": "case.transition",
        "occurred_at": timezone.localtime(event.created_at).isoformat(),
        "case": {
            "id": case.pk,
            "reference": case.reference,
            "external_reference": external_reference,
            "source_channel": case.source_channel,
            "status": event.to_state,
            "status_label": label,
            "open311_status": open311_status(event.to_state),
            "url": f"{settings.SITE_URL.rstrip('/')}/cases/{case.pk}/",
        },
        "transition": {
            "event_id": event.pk,
            "name": event.kind,
            "from_state": event.from_state or None,
            "to_state": event.to_state,
        },
    }


def deliveries_create(event: Event) -> list[Delivery]:
    systems = list(subscribers(event.case_id))
    if not systems:
        return []
    references = dict(
        ExternalCase.objects.filter(case_id=event.case_id).values_list(
            "system_id", "external_reference"
        )
    )
    now = timezone.now()
    give_up_at = now + timedelta(hours=settings.INTERCHANGE_RETRY_HOURS)
    deliveries = []
    for system in systems:
        delivery = Delivery(
            system=system,
            case_id=event.case_id,
            event_id=event.pk,
            payload=transition_payload(event, event.case, references.get(system.pk)),
            created_at=now,
            next_attempt_at=now,
            give_up_at=give_up_at,
        )
        delivery.payload = {"message_id": str(delivery.message_id), **delivery.payload}
        deliveries.append(delivery)
    Delivery.objects.bulk_create(deliveries)
    send_after_commit({system.pk for system in systems})
    return deliveries


def send_after_commit(system_ids) -> None:
    for system_id in sorted(system_ids):
        transaction.on_commit(lambda system_id=system_id: deliver_pending.enqueue(system_id))


# The events that change a case's own state: its machine's transitions, and its filing.
CASE_CHANGES = {name for name, member in vars(Case).items() if hasattr(member, "_django_fsm")} | {
    "created"
}


@receiver(post_save, sender=Event, dispatch_uid="interchange-transition-messages")
def event_to_messages(sender, instance: Event, created: bool, raw: bool = False, **kwargs):
    """A case's change of state goes to its subscribers (its items' and sessions' do not)."""
    if (
        created
        and not raw
        and instance.kind in CASE_CHANGES
        and instance.action_item_id is None
        and instance.to_state in Case.Status.values
    ):
        deliveries_create(instance)
