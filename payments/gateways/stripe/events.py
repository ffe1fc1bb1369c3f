"""Stripe webhooks: signature verification and normalization to ``GatewayEvent``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import stripe

from core import json_input
from payments.errors import (
    InvalidAmount,
    WebhookPayloadInvalid,
    WebhookSignatureInvalid,
)
from payments.gateways.base import EventKind, GatewayEvent
from payments.gateways.stripe import mapping

SIGNATURE_HEADER = "stripe-signature"
# Stripe's own libraries default to five minutes; a replayed capture older than that is refused.
TOLERANCE_SECONDS = 300

# The events to enable on a Stripe webhook endpoint (docs/stripe.md lists them for users).
SESSION_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}
PAYMENT_INTENT_EVENTS = {"payment_intent.payment_failed", "payment_intent.canceled"}
REFUND_EVENTS = {"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"}
CHARGE_EVENTS = {"charge.refunded"}
# A charge's balance transaction (its fee) is attached when it succeeds or, a moment later, by
# an update: either event reports the payment captured, with its fee when Stripe's object has it.
CHARGE_FEE_EVENTS = {"charge.succeeded", "charge.updated"}
DISPUTE_EVENTS = {"charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed"}
HANDLED_EVENTS = frozenset(
    SESSION_EVENTS | PAYMENT_INTENT_EVENTS | REFUND_EVENTS | CHARGE_EVENTS | CHARGE_FEE_EVENTS | DISPUTE_EVENTS
)


def verify_signature(body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> str:
    """Check ``Stripe-Signature`` against each secret (several during a rotation); return the body text."""
    usable = [secret for secret in secrets if secret and secret.strip()]
    if not usable:
        raise WebhookSignatureInvalid("No Stripe webhook signing secret is configured for this endpoint.")
    header = headers.get(SIGNATURE_HEADER)
    if not header:
        raise WebhookSignatureInvalid("The Stripe-Signature header is missing.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        # Stripe signs the UTF-8 text of the body; anything else cannot be one of its events.
        raise WebhookSignatureInvalid("The webhook body is not UTF-8 text, so it cannot carry a Stripe signature.") from None
    for secret in usable:
        try:
            stripe.WebhookSignature.verify_header(text, header, secret.strip(), tolerance=TOLERANCE_SECONDS)
        except stripe.SignatureVerificationError:
            continue
        return text
    # Same answer for a wrong secret, a tampered body and a stale timestamp: no oracle for callers.
    raise WebhookSignatureInvalid(
        "The Stripe-Signature header does not match this endpoint's signing secret or is older than 5 minutes."
    )


def parse(body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> GatewayEvent:
    """Verify and normalize one webhook delivery."""
    text = verify_signature(body, headers, secrets)
    try:
        payload = json_input.loads(text)
    except json_input.UnreadableJSON as exc:
        raise WebhookPayloadInvalid(f"The webhook body cannot be read: {exc}") from None
    except ValueError:
        raise WebhookPayloadInvalid("The webhook body is not JSON.") from None
    if not isinstance(payload, dict) or payload.get("object") != "event":
        raise WebhookPayloadInvalid("The webhook body is not a Stripe event object.")
    event_id, event_type = payload.get("id"), payload.get("type")
    if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str) or not event_type:
        raise WebhookPayloadInvalid("The Stripe event has no id or type.")

    common: dict[str, Any] = {
        "event_id": event_id,
        "event_type": event_type,
        "payload": payload,
        "occurred_at": mapping.timestamp(payload.get("created")),
    }
    normalize = _NORMALIZERS.get(event_type)
    if normalize is None:
        return GatewayEvent(kind=EventKind.IGNORED, **common)
    data = payload.get("data")
    obj = data.get("object") if isinstance(data, Mapping) else None
    if not isinstance(obj, Mapping) or not obj.get("id"):
        raise WebhookPayloadInvalid(f"The {event_type} event carries no object.")
    try:
        return normalize(obj, event_type, common)
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError, InvalidAmount) as exc:
        # A field of an unexpected type (or currency): refuse rather than store a half-read event.
        raise WebhookPayloadInvalid(f"The {event_type} event is malformed: {exc}") from None


def _session_event(obj: Mapping[str, Any], event_type: str, common: dict[str, Any]) -> GatewayEvent:
    if event_type == "checkout.session.completed":
        paid = obj.get("payment_status") in ("paid", "no_payment_required")
        # "unpaid" on completion: an async method (bank debit) still has to settle.
        kind = EventKind.PAYMENT_SUCCEEDED if paid else EventKind.PAYMENT_PROCESSING
    elif event_type == "checkout.session.async_payment_succeeded":
        kind = EventKind.PAYMENT_SUCCEEDED
    elif event_type == "checkout.session.async_payment_failed":
        kind = EventKind.PAYMENT_FAILED
    else:
        kind = EventKind.PAYMENT_EXPIRED
    amount, currency = mapping.money(obj, "amount_total")
    return GatewayEvent(
        kind=kind,
        payment_id=mapping.payment_id(obj),
        session_id=str(obj["id"]),
        payment_reference=mapping.object_id(obj.get("payment_intent")),
        amount=amount,
        currency=currency,
        **common,
    )


def _payment_intent_event(obj: Mapping[str, Any], event_type: str, common: dict[str, Any]) -> GatewayEvent:
    amount, currency = mapping.money(obj, "amount")
    failed = event_type == "payment_intent.payment_failed"
    return GatewayEvent(
        kind=EventKind.PAYMENT_FAILED if failed else EventKind.PAYMENT_CANCELED,
        payment_id=mapping.metadata(obj).get(mapping.PAYMENT_ID_KEY) or None,
        payment_reference=str(obj["id"]),
        amount=amount,
        currency=currency,
        failure_message=mapping.failure_message(obj) if failed else str(obj.get("cancellation_reason") or ""),
        **common,
    )


def _charge_event(obj: Mapping[str, Any], event_type: str, common: dict[str, Any]) -> GatewayEvent:
    # API versions since 2022-11-15 no longer include ``refunds`` on the charge: then the tuple is
    # empty and the service asks ``retrieve_payment`` for the PaymentIntent's refunds.
    listed = obj.get("refunds")
    data = listed.get("data") if isinstance(listed, Mapping) else None
    refunds = tuple(mapping.refund_snapshot(r) for r in data if isinstance(r, Mapping)) if isinstance(data, list) else ()
    return GatewayEvent(
        kind=EventKind.REFUNDS_UPDATED,
        payment_id=mapping.metadata(obj).get(mapping.PAYMENT_ID_KEY) or None,
        payment_reference=mapping.object_id(obj.get("payment_intent")),
        currency=str(obj.get("currency") or "").upper() or None,
        refunds=refunds,
        **common,
    )


def _refund_event(obj: Mapping[str, Any], event_type: str, common: dict[str, Any]) -> GatewayEvent:
    snapshot = mapping.refund_snapshot(obj)
    return GatewayEvent(
        kind=EventKind.REFUNDS_UPDATED,
        payment_id=mapping.metadata(obj).get(mapping.PAYMENT_ID_KEY) or None,
        payment_reference=mapping.object_id(obj.get("payment_intent")),
        currency=snapshot.currency or None,
        refunds=(snapshot,),
        failure_message=snapshot.failure_reason,
        **common,
    )


def _charge_fee_event(obj: Mapping[str, Any], event_type: str, common: dict[str, Any]) -> GatewayEvent:
    if obj.get("status") != "succeeded" or not obj.get("captured", True):
        return GatewayEvent(kind=EventKind.IGNORED, **common)
    amount, currency = mapping.money(obj, "amount")
    return GatewayEvent(
        kind=EventKind.PAYMENT_SUCCEEDED,
        payment_id=mapping.metadata(obj).get(mapping.PAYMENT_ID_KEY) or None,
        payment_reference=mapping.object_id(obj.get("payment_intent")),
        amount=amount,
        currency=currency,
        fee=mapping.charge_fee(obj),
        **common,
    )


def _dispute_event(obj: Mapping[str, Any], event_type: str, common: dict[str, Any]) -> GatewayEvent:
    # A dispute names its PaymentIntent (and charge), never our payment id: matched by reference.
    snapshot = mapping.dispute_snapshot(obj)
    return GatewayEvent(
        kind=EventKind.DISPUTES_UPDATED,
        payment_reference=mapping.object_id(obj.get("payment_intent")),
        currency=snapshot.currency or None,
        disputes=(snapshot,),
        **common,
    )


_Normalizer = Callable[[Mapping[str, Any], str, dict[str, Any]], GatewayEvent]
_NORMALIZERS: dict[str, _Normalizer] = {
    **{name: _session_event for name in SESSION_EVENTS},
    **{name: _payment_intent_event for name in PAYMENT_INTENT_EVENTS},
    **{name: _charge_event for name in CHARGE_EVENTS},
    **{name: _refund_event for name in REFUND_EVENTS},
    **{name: _charge_fee_event for name in CHARGE_FEE_EVENTS},
    **{name: _dispute_event for name in DISPUTE_EVENTS},
}
