"""Apply a stored webhook event to the payment it is about.

Processing happens in one transaction that locks the event row, then the payment, then the
invoice (``payments.transitions`` takes the invoice), and records one outcome on the event:

- ``processed``: applied to its payment (a move the state machine refuses is still processed:
  events arrive in any order and the furthest state wins).
- ``flagged``: its payment was found, but the money it reports (amount, currency, a refund's
  currency) is not the payment's; the payment is held for review and nothing is applied.
- ``waiting``: verified, but no payment of its account is linked to it yet. That is an event
  that names no payment id of ours and names a provider payment (``payment_reference``, e.g. a
  Stripe PaymentIntent) that no payment holds yet: a later event (the checkout's completion)
  may link that reference to a payment, and then ``replay.release_waiting`` applies it.
- ``ignored``: nothing to do, now or later: an event kind we do not act on, or an event that can
  never match a payment of its account. It names a payment id that belongs to no payment of
  that account (our payment ids exist before their checkout does, so a missing one never
  appears; another tenant's id stays theirs), or it names no provider payment that could be
  linked later.
- ``failed``: applying it raised; the error is kept, the transaction's changes are rolled back,
  and ``EventProcessingFailed`` tells the caller. The gateway was answered 200 when the event was
  stored: the task that applies it (``payments.tasks``) retries with backoff, the sweep enqueues
  it again, and after the last try it stays ``failed`` for the admin's replay.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from payments import state
from payments.connections import gateway_for
from payments.errors import PaymentError
from payments.gateways.base import EventKind, GatewayEvent, PaymentGatewayBase, RefundSnapshot
from payments.models import InvoicePayment, PaymentWebhookEvent, WebhookEventStatus
from payments.services import status_sync
from payments.transitions import (
    amount_mismatch,
    fee_fields,
    flag,
    move_to,
    record_dispute,
    record_refund,
    save_fields,
)

logger = logging.getLogger(__name__)

# Finished: a redelivery of one of these changes nothing. A waiting event is not finished: its
# redelivery (or a replay) looks for its payment again.
DONE = frozenset({WebhookEventStatus.PROCESSED, WebhookEventStatus.IGNORED, WebhookEventStatus.FLAGGED})

_TARGETS = {
    EventKind.PAYMENT_PROCESSING: state.PaymentStatus.PROCESSING,
    EventKind.PAYMENT_SUCCEEDED: state.PaymentStatus.SUCCEEDED,
    EventKind.PAYMENT_FAILED: state.PaymentStatus.FAILED,
    EventKind.PAYMENT_EXPIRED: state.PaymentStatus.EXPIRED,
    EventKind.PAYMENT_CANCELED: state.PaymentStatus.CANCELED,
}


class EventProcessingFailed(PaymentError):
    code = "webhook_processing_failed"
    http_status = 500
    default_message = "The event was stored but could not be processed; it will be retried."


def process(
    row: PaymentWebhookEvent,
    event: GatewayEvent,
    *,
    gateway: PaymentGatewayBase | None = None,
    again: bool = False,
) -> PaymentWebhookEvent:
    """Apply a stored event and return its row with the outcome.

    A finished event (``DONE``) is left alone, so a redelivery racing another is applied once;
    ``again`` applies it anyway (a replay: applying an event twice changes nothing more, since
    the state machine refuses moves backwards and refunds are matched by their gateway id).
    """
    try:
        if gateway is None and row.gateway_config_id and row.gateway_config:
            gateway = gateway_for(row.gateway_config)
        event = captured(event, gateway)  # any gateway call happens before the transaction
        refunds = refunds_for(event, gateway)
        with transaction.atomic():
            locked = PaymentWebhookEvent.objects.select_for_update().get(pk=row.pk)
            if locked.status in DONE and not again:
                return locked
            apply(locked, event, refunds)
    except Exception as exc:
        raise failed(row, exc) from exc
    return locked


def apply(row: PaymentWebhookEvent, event: GatewayEvent, refunds: tuple[RefundSnapshot, ...]) -> None:
    """Apply an event whose row the caller holds (locked, or inserted in this transaction)."""
    _decide(row, event, refunds)
    row.attempts += 1  # the row is ours: no read back needed
    row.processed_at = timezone.now()
    row.save(update_fields=["status", "error", "payment", "attempts", "processed_at", "updated_at"])


def failed(row: PaymentWebhookEvent, exc: Exception) -> EventProcessingFailed:
    """Keep the event as ``failed`` with its error; the error to answer (500). Call it from an
    ``except`` block, so the traceback is logged."""
    logger.exception("Webhook event %s (%s) failed", row.event_id, row.event_type)
    # A concurrent delivery may have applied the event meanwhile: a finished row stays finished.
    PaymentWebhookEvent.objects.filter(pk=row.pk).exclude(status__in=DONE).update(
        status=WebhookEventStatus.FAILED,
        error=f"{type(exc).__name__}: {exc}"[:2000],
        attempts=F("attempts") + 1,
        updated_at=timezone.now(),
    )
    return EventProcessingFailed()


def _decide(row: PaymentWebhookEvent, event: GatewayEvent, refunds: tuple[RefundSnapshot, ...]) -> None:
    row.error = ""
    if event.kind == EventKind.IGNORED:
        row.status = WebhookEventStatus.IGNORED
        return
    payment = find_payment(event, gateway_name=row.gateway_name, config_id=row.gateway_config_id, lock=True)
    if payment is None:
        if event.payment_reference and not event.payment_id:
            row.status = WebhookEventStatus.WAITING
            row.error = f"No payment of this account is linked to {event.payment_reference} yet."
        else:
            row.status = WebhookEventStatus.IGNORED
            row.error = "No payment of this system matches the event."
        return
    row.payment = payment  # locked by the lookup itself: one query, not two
    target = _TARGETS.get(event.kind)
    mismatch = amount_mismatch(
        payment,
        # A refunds event reports no money captured: only the currencies are compared.
        amount=None if event.kind == EventKind.REFUNDS_UPDATED else event.amount,
        currency=event.currency,
        status=target,
        refunds=refunds,
    )
    if mismatch:
        flag(payment, mismatch)
        row.status = WebhookEventStatus.FLAGGED
        row.error = mismatch
        return
    if event.kind == EventKind.DISPUTES_UPDATED:
        for dispute in event.disputes:
            record_dispute(payment, dispute)
    elif target is None:
        for snapshot in refunds:
            record_refund(payment, snapshot)
    else:
        _move(payment, event, target)
    row.status = WebhookEventStatus.PROCESSED


def _move(payment: InvoicePayment, event: GatewayEvent, target: str) -> None:
    fields: dict[str, Any] = {}
    if event.session_id and not payment.gateway_session_id:
        fields["gateway_session_id"] = event.session_id
    if event.payment_reference and payment.gateway_payment_reference != event.payment_reference:
        fields["gateway_payment_reference"] = event.payment_reference
    if event.failure_message and event.kind == EventKind.PAYMENT_FAILED:
        fields["failure_message"] = event.failure_message[:500]
    fields.update(fee_fields(event.fee))
    if event.kind == EventKind.PAYMENT_FAILED and not event.session_id and payment.gateway_session_id:
        # A declined attempt inside a hosted checkout that is still open (Stripe's
        # payment_intent.payment_failed): the payer may try another card, so only the
        # reason is kept; the checkout's own completion or expiry decides the status.
        if fields:
            save_fields(payment, **fields)
    else:
        move_to(payment, target, **fields)


def needs_gateway_call(event: GatewayEvent, gateway: PaymentGatewayBase | None) -> bool:
    """Whether processing must ask the gateway first (a refund event that lists no refunds, or
    a payer's approval that the gateway must capture)."""
    if gateway is not None and event.kind == EventKind.PAYMENT_APPROVED:
        return gateway.requires_capture
    return event.kind == EventKind.REFUNDS_UPDATED and not event.refunds and gateway is not None


# What a capture's answer means, as the event processing applies it.
_CAPTURED = {
    state.PaymentStatus.PROCESSING: EventKind.PAYMENT_PROCESSING,
    state.PaymentStatus.SUCCEEDED: EventKind.PAYMENT_SUCCEEDED,
    state.PaymentStatus.FAILED: EventKind.PAYMENT_FAILED,
}


def captured(event: GatewayEvent, gateway: PaymentGatewayBase | None) -> GatewayEvent:
    """A payer's approval of a payment still pending: capture it (once: see
    ``status_sync.capture``) and read the event as what the capture reports. Any other event,
    or a payment already past pending (the payer's return captured it), is left as it is."""
    if gateway is None or event.kind != EventKind.PAYMENT_APPROVED or not gateway.requires_capture:
        return event
    payment = find_payment(event, gateway_name=gateway.name, config_id=gateway.config_id)
    if payment is None or payment.status != state.PaymentStatus.PENDING or not payment.gateway_session_id:
        return event
    if not status_sync.may_capture(payment):  # its invoice was voided: never take the money
        return event
    snapshot = status_sync.capture(payment)
    kind = _CAPTURED.get(state.PaymentStatus(snapshot.status))
    if kind is None:
        return event
    return replace(
        event,
        kind=kind,
        session_id=snapshot.session_id,
        payment_reference=snapshot.payment_reference,
        amount=snapshot.amount,
        currency=snapshot.currency,
        failure_message=snapshot.failure_message,
        fee=snapshot.fee,
    )


def refunds_for(event: GatewayEvent, gateway: PaymentGatewayBase | None) -> tuple[RefundSnapshot, ...]:
    """Refunds an event reports; when it names none (Stripe's newer charge events), ask the gateway."""
    if gateway is None or not needs_gateway_call(event, gateway):
        return event.refunds
    payment = find_payment(event, gateway_name=gateway.name, config_id=gateway.config_id)
    if payment is None or not payment.gateway_session_id:
        return ()
    # Ask with the payment's own config: an event to the platform URL carries no account key.
    snapshot = gateway_for(payment.gateway_config).retrieve_payment(
        session_id=payment.gateway_session_id, payment_reference=payment.gateway_payment_reference
    )
    return snapshot.refunds


def find_payment(
    event: GatewayEvent, *, gateway_name: str, config_id: Any, lock: bool = False
) -> InvoicePayment | None:
    """The payment an event is about, looked up only among the payments of the config that
    signed it, so one user's webhook secret can never move another user's payment. With
    ``lock``, the row found is locked until the end of the caller's transaction."""
    payments = InvoicePayment.objects.filter(gateway_name=gateway_name)
    if lock:
        payments = payments.select_for_update()
    if config_id is not None:
        payments = payments.filter(gateway_config_id=config_id)
    if event.payment_id:
        try:
            found = payments.filter(pk=UUID(str(event.payment_id))).first()
        except ValueError:
            found = None
        if found is not None:
            return found
    if event.session_id:
        found = payments.filter(gateway_session_id=event.session_id).first()
        if found is not None:
            return found
    if event.payment_reference:
        return payments.filter(gateway_payment_reference=event.payment_reference).first()
    return None
