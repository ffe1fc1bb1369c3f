"""Apply stored webhook events again: the one way to reprocess.

``replay(event)`` is what the admin's "Reprocess" action, the ``replay_webhook_events`` command
and the events waiting for a payment all call. Its rule: whatever the event's status, it is
applied again from its stored reading (its signature is stale by then; the reading is the
record of what was verified), in one transaction that locks it, and its row records the new
outcome. Applying an event twice changes nothing more (the state machine refuses moves
backwards and refunds are matched by their gateway id), so replaying a processed event is safe,
and a waiting, ignored, flagged or failed one is decided afresh.

``release_waiting(event)``: once an event has been applied to a payment, the events that were
waiting for that payment's provider reference are replayed, once each, in the order they
arrived. A loop, not a recursion: ``replay`` itself never releases anything, and a released
event cannot link anything new (it was found by the reference its payment already holds).
``recheck(event)`` closes the race between the two (see there).
"""

from __future__ import annotations

from payments.gateways.base import GatewayEvent
from payments.models import PLATFORM_ACCOUNT, PaymentWebhookEvent, WebhookEventStatus
from payments.webhooks import codec
from payments.webhooks.process import EventProcessingFailed, find_payment, process


def replay(event: PaymentWebhookEvent) -> PaymentWebhookEvent:
    """Apply a stored event again and return it with its new outcome.

    Raises ``EventProcessingFailed`` (the event is then kept as ``failed``, its error saved).
    Events waiting for the payment it links are not replayed here: see ``release_waiting``.
    """
    return process(event, codec.decode(event.normalized, payload=event.payload), again=True)


def release_waiting(applied: PaymentWebhookEvent) -> list[PaymentWebhookEvent]:
    """Replay the events that were waiting for the payment ``applied`` was applied to; return them.

    Only events about the reference ``applied`` carries, received by that payment's own account
    or the platform's: another tenant's events are never applied to it. One that fails again is
    kept as ``failed`` (replayable) and does not stop the others.
    """
    reference, payment = applied.object_reference, applied.payment  # no query without a payment
    if payment is None or not reference:
        return []
    accounts = {applied.gateway_account, PLATFORM_ACCOUNT, str(payment.gateway_config_id)}
    waiting = PaymentWebhookEvent.objects.filter(
        gateway_name=applied.gateway_name,
        gateway_account__in=accounts,
        object_reference=reference,
        status=WebhookEventStatus.WAITING,
    ).order_by("received_at")
    released = []
    for event in waiting:
        try:
            released.append(replay(event))
        except EventProcessingFailed:
            released.append(event)
    return released


def recheck(event: PaymentWebhookEvent, reading: GatewayEvent) -> PaymentWebhookEvent:
    """A just-stored waiting event, replayed if its payment was linked meanwhile.

    The event that links a payment releases the events waiting for it after its own commit. One
    stored at that very moment (its lookup ran before the link was committed, its own commit came
    after the release had looked) would wait for good: a 200 is never delivered again. Looking
    once more after this event's commit closes the gap: either this look sees the link, or the
    release saw this event. Raises ``EventProcessingFailed`` as ``replay`` does.
    """
    if event.status != WebhookEventStatus.WAITING:
        return event
    if find_payment(reading, gateway_name=event.gateway_name, config_id=event.gateway_config_id) is None:
        return event
    return replay(event)
