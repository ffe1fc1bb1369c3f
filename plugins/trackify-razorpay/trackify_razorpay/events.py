"""Razorpay's webhooks: the signature, the event id, and each event as a ``GatewayEvent``.

Razorpay signs a delivery with ``X-Razorpay-Signature``: the hex HMAC-SHA256 of the exact body
with the webhook's secret (set by the owner in Razorpay's dashboard and pasted in Trackify).
The event's id is in the ``x-razorpay-event-id`` header only (the body has none); it is the same
on every redelivery of one event.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from core import json_input
from payments.errors import WebhookPayloadInvalid, WebhookSignatureInvalid
from payments.gateways.base import EventKind, GatewayEvent
from trackify_razorpay import mapping

SIGNATURE_HEADER = "x-razorpay-signature"
EVENT_ID_HEADER = "x-razorpay-event-id"

# The events the owner subscribes the webhook to, and what each means.
LINK_EVENTS = {
    "payment_link.paid": EventKind.PAYMENT_SUCCEEDED,
    # Trackify's links never accept parts: a part paid is a mismatch for a person to look at.
    "payment_link.partially_paid": EventKind.PAYMENT_PROCESSING,
    "payment_link.expired": EventKind.PAYMENT_EXPIRED,
    "payment_link.cancelled": EventKind.PAYMENT_CANCELED,
}
REFUND_EVENTS = frozenset({"refund.processed", "refund.failed"})
SUBSCRIBED_EVENTS = (*LINK_EVENTS, "payment.failed", *sorted(REFUND_EVENTS))


def verify(body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> None:
    """Raise ``WebhookSignatureInvalid`` unless one of ``secrets`` signed these exact bytes."""
    signature = headers.get(SIGNATURE_HEADER, "").strip()
    if not signature:
        raise WebhookSignatureInvalid("The X-Razorpay-Signature header is missing.")
    if not secrets:
        raise WebhookSignatureInvalid("This Razorpay connection has no webhook secret.")
    for secret in secrets:
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, signature):
            return
    raise WebhookSignatureInvalid("The X-Razorpay-Signature does not match this webhook's secret.")


def to_event(body: bytes, headers: Mapping[str, str]) -> GatewayEvent:
    """A verified delivery, normalized; ``WebhookPayloadInvalid`` when it cannot be read."""
    event_id = headers.get(EVENT_ID_HEADER, "").strip()
    if not event_id or len(event_id) > 255:
        raise WebhookPayloadInvalid("The x-razorpay-event-id header is missing.")
    try:
        payload = json_input.loads(body)
    except (ValueError, RecursionError):
        raise WebhookPayloadInvalid("The webhook body is not JSON.") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("event"), str):
        raise WebhookPayloadInvalid("The webhook body is not a Razorpay event.")
    try:
        return _normalize(event_id, payload)
    except mapping.Malformed as exc:
        raise WebhookPayloadInvalid(str(exc)) from None


def entity(payload: Mapping[str, Any], name: str, *, required: bool = True) -> dict[str, Any]:
    """``payload.payload.<name>.entity``, checked to be an object."""
    inner = payload.get("payload")
    wrapper = inner.get(name) if isinstance(inner, dict) else None
    found = wrapper.get("entity") if isinstance(wrapper, dict) else None
    if isinstance(found, dict):
        return found
    if required:
        raise mapping.Malformed(f"The event carries no {name}.")
    return {}


def _normalize(event_id: str, payload: dict[str, Any]) -> GatewayEvent:
    event_type = payload["event"]
    created = payload.get("created_at")
    common: dict[str, Any] = {
        "event_id": event_id,
        "event_type": event_type,
        "payload": payload,
        "occurred_at": datetime.fromtimestamp(created, tz=UTC) if isinstance(created, int) else None,
    }
    if event_type in LINK_EVENTS:
        return _link_event(common, payload, LINK_EVENTS[event_type])
    if event_type == "payment.failed":
        return _failed_attempt(common, entity(payload, "payment"))
    if event_type in REFUND_EVENTS:
        refund = entity(payload, "refund")
        payment = entity(payload, "payment", required=False)
        snapshot = mapping.refund_snapshot(refund)
        return GatewayEvent(
            **common,
            kind=EventKind.REFUNDS_UPDATED,
            payment_id=mapping.notes(payment).get(mapping.PAYMENT_NOTE) or None,
            payment_reference=mapping.text(refund, "payment_id"),
            currency=snapshot.currency,
            refunds=(snapshot,),
        )
    return GatewayEvent(**common, kind=EventKind.IGNORED)


def _link_event(common: dict[str, Any], payload: dict[str, Any], kind: EventKind) -> GatewayEvent:
    link = entity(payload, "payment_link")
    payment = entity(payload, "payment", required=False)
    ours = mapping.text(link, "reference_id", required=False) or mapping.notes(link).get(mapping.PAYMENT_NOTE)
    paid = kind in (EventKind.PAYMENT_SUCCEEDED, EventKind.PAYMENT_PROCESSING)
    return GatewayEvent(
        **common,
        kind=kind,
        payment_id=ours or None,
        session_id=mapping.text(link, "id"),
        payment_reference=(mapping.text(payment, "id", required=False) or None) if paid else None,
        amount=mapping.money(link, "amount_paid") if paid else None,
        currency=mapping.currency_of(link),
        fee=mapping.payment_fee(payment) if paid and payment else None,
    )


def _failed_attempt(common: dict[str, Any], payment: dict[str, Any]) -> GatewayEvent:
    """One declined try on a link that stays open: the reason is kept, the payer may try again
    (so no session id: the link's own payment or expiry decides the status)."""
    ours = mapping.notes(payment).get(mapping.PAYMENT_NOTE)
    if not ours:  # a payment of something other than a Trackify link
        return GatewayEvent(**common, kind=EventKind.IGNORED)
    reason = payment.get("error_description")
    return GatewayEvent(
        **common,
        kind=EventKind.PAYMENT_FAILED,
        payment_id=ours,
        currency=mapping.currency_of(payment),
        failure_message=reason if isinstance(reason, str) and reason else "Razorpay declined the payment.",
    )
