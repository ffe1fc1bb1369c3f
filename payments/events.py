"""Webhook events: verify, store once, apply through the state machine.

A delivery is verified with the gateway's own signature scheme before anything is stored. A
verified event is stored once per (gateway, account, event id), the account being the config
whose endpoint received it (or the platform's): event ids are the sender's to choose, so one
tenant's event must never shadow another's. A redelivery of a processed event changes nothing. Processing happens in one transaction that locks the event row, then the
payment, then the invoice; if it raises, the event is kept as ``failed`` with the error and the
gateway is answered non-2xx, so it delivers again (or ``replay_webhook_events`` does).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core import json_input
from core.money import display_amount
from payments import state
from payments.connections import gateway_for
from payments.errors import PayloadTooLarge, PaymentError, UnknownGateway, WebhookPayloadInvalid
from payments.gateways import registry
from payments.gateways.base import EventKind, GatewayEvent, PaymentGatewayBase, RefundSnapshot
from payments.models import (
    PLATFORM_ACCOUNT,
    InvoicePayment,
    PaymentGatewayConfig,
    PaymentWebhookEvent,
    WebhookEventStatus,
)
from payments.transitions import move_to, record_refund

logger = logging.getLogger(__name__)

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


def receive(
    *, gateway_name: str, config_id: UUID | None, body: bytes, headers: Mapping[str, str]
) -> PaymentWebhookEvent:
    """Verify, store and process one delivery; return the stored event."""
    if len(body) > settings.WEBHOOK_MAX_BODY_BYTES:
        raise PayloadTooLarge(f"Webhook bodies are limited to {settings.WEBHOOK_MAX_BODY_BYTES} bytes.")
    gateway_cls = registry.get(gateway_name)
    config = None
    if config_id is not None:
        config = PaymentGatewayConfig.objects.filter(pk=config_id, gateway_name=gateway_name).first()
        if config is None:
            raise UnknownGateway("No such gateway configuration.")
        gateway = gateway_for(config)
        secrets = gateway.webhook_secrets()
    else:
        gateway = gateway_cls(credentials={}, mode="live", config_id=None)
        secrets = gateway_cls.platform_webhook_secrets()
    lowered = {key.lower(): value for key, value in headers.items()}
    event = _parse(gateway, body=body, headers=lowered, secrets=secrets)  # raises before storing
    if _needs_gateway_call(event, gateway):
        # The gateway is asked outside any transaction: store first, then ask, then apply.
        row = _store_once(event, gateway_name=gateway_name, config=config)
        if row.status in DONE:
            return row
        return process(row, gateway=gateway)
    return _store_and_process(event, gateway_name=gateway_name, config=config, gateway=gateway)


def account_of(config: PaymentGatewayConfig | None) -> str:
    """The account an event belongs to: the config whose endpoint received it, or the platform."""
    return PLATFORM_ACCOUNT if config is None else str(config.pk)


def stored_event(*, gateway_name: str, account: str, event_id: str) -> PaymentWebhookEvent:
    """The stored event with this id, from this account (a redelivery's first copy)."""
    return PaymentWebhookEvent.objects.get(gateway_name=gateway_name, gateway_account=account, event_id=event_id[:255])


def _parse(
    gateway: PaymentGatewayBase, *, body: bytes, headers: Mapping[str, str], secrets: Any
) -> GatewayEvent:
    """The adapter's reading of a delivery, refused (400, nothing stored) unless it can be stored whole."""
    try:
        event = gateway.parse_webhook(body=body, headers=headers, secrets=secrets)
    except PaymentError:
        raise
    except Exception:
        # An adapter (perhaps a plugin) that trips over a signed body it cannot read: the
        # sender's mistake or ours, but answering 500 would only make the gateway retry it forever.
        logger.exception("The %s adapter could not read a webhook body", gateway.name)
        raise WebhookPayloadInvalid("The webhook body is not an event this gateway sends.") from None
    try:
        json_input.check(dict(event.payload))
        json_input.check(serialize_event(event))
    except (json_input.UnreadableJSON, TypeError, ValueError, AttributeError) as exc:
        raise WebhookPayloadInvalid(f"The webhook body cannot be stored: {exc}") from None
    if not isinstance(event.event_id, str) or not event.event_id or not isinstance(event.event_type, str):
        raise WebhookPayloadInvalid("The event has no id or type.")
    return event


def _new_row(event: GatewayEvent, *, gateway_name: str, config: PaymentGatewayConfig | None) -> PaymentWebhookEvent:
    return PaymentWebhookEvent.objects.create(
        gateway_name=gateway_name,
        gateway_account=account_of(config),
        event_id=event.event_id[:255],
        event_type=event.event_type[:100],
        gateway_config=config,
        object_reference=(event.payment_reference or "")[:255],
        payload=dict(event.payload),
        normalized=serialize_event(event),
    )


def _store_and_process(
    event: GatewayEvent, *, gateway_name: str, config: PaymentGatewayConfig | None, gateway: PaymentGatewayBase
) -> PaymentWebhookEvent:
    """Store a new event and apply it in one transaction: one commit per delivery, not two.

    The row inserted here stays ours until the commit, so a concurrent redelivery waits on the
    unique (gateway, account, event id) key, then finds the event processed. If applying it fails, the
    changes roll back to a savepoint and the event is committed as ``failed``, as before.
    """
    failure: Exception | None = None
    try:
        with transaction.atomic():
            row = _new_row(event, gateway_name=gateway_name, config=config)
            stored = deserialize_event(row.normalized, payload=row.payload)
            try:
                with transaction.atomic():
                    _apply_and_save(row, stored, stored.refunds)
            except Exception as exc:
                logger.exception("Webhook event %s (%s) failed", row.event_id, row.event_type)
                _mark_failed(row, exc)
                failure = exc
    except IntegrityError:  # a redelivery, perhaps at this very moment (processing errors are caught above)
        row = stored_event(gateway_name=gateway_name, account=account_of(config), event_id=event.event_id)
        if row.status in DONE:
            return row
        return process(row, gateway=gateway)
    if failure is not None:
        raise EventProcessingFailed() from failure
    _after_processing(row, stored)
    return row


def _store_once(event: GatewayEvent, *, gateway_name: str, config: PaymentGatewayConfig | None) -> PaymentWebhookEvent:
    try:
        with transaction.atomic():
            return _new_row(event, gateway_name=gateway_name, config=config)
    except IntegrityError:  # a redelivery, perhaps at this very moment
        return stored_event(gateway_name=gateway_name, account=account_of(config), event_id=event.event_id)


def process(row: PaymentWebhookEvent, *, gateway: PaymentGatewayBase | None = None) -> PaymentWebhookEvent:
    """Apply a stored event. Safe to call again: a processed event is left alone."""
    event = deserialize_event(row.normalized, payload=row.payload)
    try:
        if gateway is None and row.gateway_config_id:
            gateway = gateway_for(row.gateway_config)
        refunds = _refunds_for(event, gateway)  # any gateway call happens before the transaction
        with transaction.atomic():
            locked = PaymentWebhookEvent.objects.select_for_update().get(pk=row.pk)
            if locked.status in DONE:
                return locked
            _apply_and_save(locked, event, refunds)
    except Exception as exc:
        logger.exception("Webhook event %s (%s) failed", row.event_id, row.event_type)
        _mark_failed(row, exc)
        raise EventProcessingFailed() from exc
    _after_processing(locked, event)
    return locked


def _apply_and_save(locked: PaymentWebhookEvent, event: GatewayEvent, refunds: tuple[RefundSnapshot, ...]) -> None:
    """Apply an event whose row the caller holds (locked, or inserted in this transaction)."""
    _apply(locked, event, refunds)
    locked.attempts += 1  # the row is ours: no read back needed
    locked.processed_at = timezone.now()
    locked.save(update_fields=["status", "error", "payment", "attempts", "processed_at", "updated_at"])


def _mark_failed(row: PaymentWebhookEvent, exc: Exception) -> None:
    # A concurrent delivery may have applied the event meanwhile: a finished row stays finished.
    PaymentWebhookEvent.objects.filter(pk=row.pk).exclude(status__in=DONE).update(
        status=WebhookEventStatus.FAILED,
        error=f"{type(exc).__name__}: {exc}"[:2000],
        attempts=F("attempts") + 1,
        updated_at=timezone.now(),
    )


def _after_processing(row: PaymentWebhookEvent, event: GatewayEvent) -> None:
    if event.payment_reference and row.payment_id and event.kind != EventKind.IGNORED:
        _apply_waiting_events(row, event.payment_reference)


def _needs_gateway_call(event: GatewayEvent, gateway: PaymentGatewayBase | None) -> bool:
    """Whether processing must ask the gateway first (a refund event that lists no refunds)."""
    return event.kind == EventKind.REFUNDS_UPDATED and not event.refunds and gateway is not None


def _refunds_for(event: GatewayEvent, gateway: PaymentGatewayBase | None) -> tuple[RefundSnapshot, ...]:
    """Refunds an event reports; when it names none (Stripe's newer charge events), ask the gateway."""
    if gateway is None or not _needs_gateway_call(event, gateway):
        return event.refunds
    payment = _find_payment(event, gateway_name=gateway.name, config_id=gateway.config_id)
    if payment is None or not payment.gateway_session_id:
        return ()
    # Ask with the payment's own config: an event to the platform URL carries no account key.
    snapshot = gateway_for(payment.gateway_config).retrieve_payment(
        session_id=payment.gateway_session_id, payment_reference=payment.gateway_payment_reference
    )
    return snapshot.refunds


def _apply(row: PaymentWebhookEvent, event: GatewayEvent, refunds: tuple[RefundSnapshot, ...]) -> None:
    row.error = ""
    if event.kind == EventKind.IGNORED:
        row.status = WebhookEventStatus.IGNORED
        return
    found = _find_payment(event, gateway_name=row.gateway_name, config_id=row.gateway_config_id, lock=True)
    if found is None:
        row.status = WebhookEventStatus.IGNORED
        row.error = "No payment of this system matches the event."
        return
    payment = found  # locked by the lookup itself: one query, not two
    row.payment = payment
    mismatch = _mismatch(payment, event, refunds)
    if mismatch:
        payment.flagged_reason = mismatch[:500]
        payment.save(update_fields=["flagged_reason", "updated_at"])
        row.status = WebhookEventStatus.FLAGGED
        row.error = mismatch
        logger.warning("Webhook event %s held back: %s", event.event_id, mismatch)
        return
    if event.kind == EventKind.REFUNDS_UPDATED:
        for snapshot in refunds:
            record_refund(payment, snapshot)
    else:
        fields: dict[str, Any] = {}
        if event.session_id and not payment.gateway_session_id:
            fields["gateway_session_id"] = event.session_id
        if event.payment_reference and payment.gateway_payment_reference != event.payment_reference:
            fields["gateway_payment_reference"] = event.payment_reference
        if event.failure_message and event.kind == EventKind.PAYMENT_FAILED:
            fields["failure_message"] = event.failure_message[:500]
        if event.kind == EventKind.PAYMENT_FAILED and not event.session_id and payment.gateway_session_id:
            # A declined attempt inside a hosted checkout that is still open (Stripe's
            # payment_intent.payment_failed): the payer may try another card, so only the
            # reason is kept; the checkout's own completion or expiry decides the status.
            move_to(payment, payment.status, **fields)
        else:
            move_to(payment, _TARGETS[event.kind], **fields)
    row.status = WebhookEventStatus.PROCESSED


def _mismatch(payment: InvoicePayment, event: GatewayEvent, refunds: tuple[RefundSnapshot, ...]) -> str:
    """Why an event must not be applied to this payment ('' when it may)."""
    if event.currency and event.currency.upper() != payment.currency:
        return f"Event currency {event.currency.upper()} does not match the payment's {payment.currency}."
    paid_kinds = (EventKind.PAYMENT_SUCCEEDED, EventKind.PAYMENT_PROCESSING)
    if event.kind in paid_kinds and event.amount is not None and event.amount != payment.amount:
        return (
            f"Event amount {display_amount(event.amount, payment.currency)} does not match the payment's "
            f"{display_amount(payment.amount, payment.currency)}."
        )
    for refund in refunds:
        if refund.currency.upper() != payment.currency:
            return f"Refund {refund.refund_id} is in {refund.currency.upper()}, the payment in {payment.currency}."
    return ""


def _find_payment(
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


def _apply_waiting_events(row: PaymentWebhookEvent, reference: str) -> None:
    """Events about a provider payment that arrived before we could link it (a refund event
    before the checkout's completion, say) are applied once the link exists."""
    # Only events this payment's own account (or the platform) received: another tenant's are
    # never worth processing again for it.
    accounts = {row.gateway_account, PLATFORM_ACCOUNT, str(row.payment.gateway_config_id)} if row.payment else set()
    waiting = PaymentWebhookEvent.objects.filter(
        gateway_name=row.gateway_name,
        gateway_account__in=accounts,
        object_reference=reference,
        status=WebhookEventStatus.IGNORED,
    ).exclude(pk=row.pk)
    for other in waiting:
        if other.normalized.get("kind") == EventKind.IGNORED:
            continue
        PaymentWebhookEvent.objects.filter(pk=other.pk).update(status=WebhookEventStatus.RECEIVED)
        other.status = WebhookEventStatus.RECEIVED
        try:
            process(other)
        except EventProcessingFailed:
            pass  # kept as failed, replayable


def serialize_event(event: GatewayEvent) -> dict[str, Any]:
    data = dataclasses.asdict(event)
    data.pop("payload")
    data["kind"] = str(event.kind)
    data["amount"] = None if event.amount is None else str(event.amount)
    data["occurred_at"] = event.occurred_at.isoformat() if event.occurred_at else None
    data["refunds"] = [{**r, "amount": str(r["amount"])} for r in data["refunds"]]
    return data


def deserialize_event(data: Mapping[str, Any], *, payload: Mapping[str, Any]) -> GatewayEvent:
    from datetime import datetime

    return GatewayEvent(
        event_id=data["event_id"],
        event_type=data["event_type"],
        kind=EventKind(data["kind"]),
        payload=payload,
        payment_id=data.get("payment_id"),
        session_id=data.get("session_id"),
        payment_reference=data.get("payment_reference"),
        amount=None if data.get("amount") is None else Decimal(data["amount"]),
        currency=data.get("currency"),
        refunds=tuple(RefundSnapshot(**{**r, "amount": Decimal(r["amount"])}) for r in data.get("refunds", [])),
        failure_message=data.get("failure_message", ""),
        occurred_at=datetime.fromisoformat(data["occurred_at"]) if data.get("occurred_at") else None,
    )
