"""Sending messages to external systems, run by the worker (`manage.py db_worker`).

One system's messages go out one at a time in the order they arose, so a receiver sees a
case's transitions in order: a message that fails holds back the later ones until it is
delivered or given up (after INTERCHANGE_RETRY_HOURS). A failed attempt is tried again after
an exponential back-off. Short timeouts bound how long a dead or hung receiver holds the worker;
no request ever waits for one."""

import time
from datetime import timedelta

import requests
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import default_task_backend, task

from workflow.interchange.models import Delivery, ExternalSystem
from workflow.interchange.signing import (
    MESSAGE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    message_body,
    sign,
)

# How many messages one run of the task sends before it hands the rest to a new run.
BATCH = 50


def back_off(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: doubling from INTERCHANGE_RETRY_FIRST_SECONDS,
    at most an hour."""
    first = settings.INTERCHANGE_RETRY_FIRST_SECONDS
    return timedelta(seconds=min(first * 2 ** (attempts - 1), 3600))


def attempt(system: ExternalSystem, delivery: Delivery) -> bool:
    """Post the message once; record the outcome on the delivery. True when delivered."""
    body = message_body(delivery.payload)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Shenlianti-Interchange/1",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(system.signing_secret, timestamp, body),
        MESSAGE_HEADER: str(delivery.message_id),
    }
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        response = requests.post(
            system.callback_url,
            data=body,
            headers=headers,
            timeout=settings.INTERCHANGE_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        delivery.last_status_code = response.status_code
        delivery.last_error = "" if response.ok else response.reason[:300]
        delivered = 200 <= response.status_code < 300
    except requests.RequestException as error:
        delivery.last_status_code = None
        delivery.last_error = f"{type(error).__name__}: {error}"[:300]
        delivered = False
    if delivered:
        delivery.status = Delivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
    else:
        delivery.next_attempt_at = timezone.now() + back_off(delivery.attempts)
        if delivery.next_attempt_at > delivery.give_up_at:
            delivery.status = Delivery.Status.FAILED
    delivery.save()
    return delivered


def send_later(system_id: int, when) -> None:
    """Run again when the next attempt is due (the database queue keeps it until then)."""
    if default_task_backend.supports_defer:
        deliver_pending.using(run_after=when).enqueue(system_id)


def claim(system_id: int, *, renew: bool = False) -> bool:
    """Whether this run may send the system's messages: one run at a time per system, for as
    long as a batch can take at most; a run that died lets go when that time is up."""
    now = timezone.now()
    lease = timedelta(seconds=BATCH * settings.INTERCHANGE_TIMEOUT_SECONDS + 60)
    systems = ExternalSystem.objects.filter(pk=system_id)
    if not renew:
        systems = systems.filter(Q(sending_until__isnull=True) | Q(sending_until__lt=now))
    return bool(systems.update(sending_until=now + lease))


def head_is_due(system_id: int) -> bool:
    """Whether the system's oldest waiting message may be tried now (the others wait for it)."""
    head = (
        Delivery.objects.filter(system_id=system_id, status=Delivery.Status.PENDING)
        .order_by("id")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return head is not None and head <= timezone.now()


def send_in_order(system: ExternalSystem) -> int:
    """Send the due messages oldest first, stopping at one that must wait."""
    delivered = 0
    while pending := list(
        system.deliveries.filter(status=Delivery.Status.PENDING).order_by("id")[:BATCH]
    ):
        for delivery in pending:
            if delivery.next_attempt_at > timezone.now():
                send_later(system.pk, delivery.next_attempt_at)
                return delivered
            if attempt(system, delivery):
                delivered += 1
            elif delivery.status == Delivery.Status.PENDING:
                send_later(system.pk, delivery.next_attempt_at)
                return delivered
        claim(system.pk, renew=True)
    return delivered


@task()
def deliver_pending(system_id: int) -> int:
    """Send the system's due messages in order; return how many were delivered."""
    if not claim(system_id):
        return 0
    try:
        system = ExternalSystem.objects.get(pk=system_id)
        if system.is_revoked or not system.callback_url:
            return 0  # kept: they go out if the system is given a key or a callback again
        delivered = send_in_order(system)
    finally:
        ExternalSystem.objects.filter(pk=system_id).update(sending_until=None)
    # A message committed while this run held the claim found it taken: take it now.
    if head_is_due(system_id):
        deliver_pending.enqueue(system_id)
    return delivered


def deliveries_replay(deliveries) -> int:
    """Send these messages again (the administrator's replay): each is due now and tried for
    another INTERCHANGE_RETRY_HOURS. Returns how many."""
    now = timezone.now()
    ids = list(deliveries.values_list("pk", flat=True))
    count = Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING,
        next_attempt_at=now,
        give_up_at=now + timedelta(hours=settings.INTERCHANGE_RETRY_HOURS),
        delivered_at=None,
    )
    systems = Delivery.objects.filter(pk__in=ids).values_list("system_id", flat=True).distinct()
    for system_id in systems:
        deliver_pending.enqueue(system_id)
    return count
