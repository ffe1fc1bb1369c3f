"""PayPal's webhook events as Trackify's ``GatewayEvent``.

PayPal signs a delivery with a certificate; rather than fetching and checking certificates
ourselves, each delivery is sent back to PayPal's verify-webhook-signature API with its
transmission headers, the webhook id PayPal gave this configuration's endpoint, and the body
exactly as received. Only a ``SUCCESS`` answer lets the event through.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from payments.errors import WebhookPayloadInvalid, WebhookSignatureInvalid
from payments.gateways.base import EventKind, GatewayEvent
from trackify_paypal import mapping

# What the endpoint subscribes to, and what each means for Trackify.
EVENT_KINDS = {
    "CHECKOUT.ORDER.APPROVED": EventKind.PAYMENT_APPROVED,
    "PAYMENT.CAPTURE.COMPLETED": EventKind.PAYMENT_SUCCEEDED,
    "PAYMENT.CAPTURE.PENDING": EventKind.PAYMENT_PROCESSING,
    "PAYMENT.CAPTURE.DENIED": EventKind.PAYMENT_FAILED,
    "PAYMENT.CAPTURE.DECLINED": EventKind.PAYMENT_FAILED,
    "PAYMENT.CAPTURE.REFUNDED": EventKind.REFUNDS_UPDATED,
    "PAYMENT.CAPTURE.REVERSED": EventKind.REFUNDS_UPDATED,
}
SUBSCRIBED_EVENTS = tuple(EVENT_KINDS)

TRANSMISSION_HEADERS = {
    "transmission_id": "paypal-transmission-id",
    "transmission_time": "paypal-transmission-time",
    "transmission_sig": "paypal-transmission-sig",
    "cert_url": "paypal-cert-url",
    "auth_algo": "paypal-auth-algo",
}
SIGNATURE_HEADER = "PAYPAL-TRANSMISSION-SIG"


def verification_request(*, body: bytes, headers: Mapping[str, str], webhook_id: str) -> bytes:
    """The verify-webhook-signature request: the transmission headers, the webhook id, and the
    delivered body spliced in byte for byte as ``webhook_event`` (re-encoding it could change
    it, and PayPal checks the signature over the exact bytes)."""
    fields: dict[str, str] = {}
    for name, header in TRANSMISSION_HEADERS.items():
        value = headers.get(header, "")
        if not value:
            raise WebhookSignatureInvalid(f"The {header} header is missing.")
        fields[name] = value
    fields["webhook_id"] = webhook_id
    head = json.dumps(fields)[:-1]  # without its closing brace
    return head.encode() + b', "webhook_event": ' + body.strip() + b"}"


def read(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookPayloadInvalid("The webhook body is not JSON.") from None
    if not isinstance(payload, dict) or not payload.get("id") or not payload.get("event_type"):
        raise WebhookPayloadInvalid("The webhook body is not a PayPal event.")
    return payload


def to_event(payload: Mapping[str, Any]) -> GatewayEvent:
    """Normalize a verified event."""
    event_type = str(payload["event_type"])
    kind = EVENT_KINDS.get(event_type, EventKind.IGNORED)
    resource = payload.get("resource") or {}
    if not isinstance(resource, Mapping) or (kind != EventKind.IGNORED and not resource.get("id")):
        raise WebhookPayloadInvalid("The event carries no resource.")
    base: dict[str, Any] = {
        "event_id": str(payload["id"]),
        "event_type": event_type,
        "kind": kind,
        "payload": payload,
        "occurred_at": _time(payload.get("create_time")),
    }
    if kind == EventKind.IGNORED:
        return GatewayEvent(**base)
    if kind == EventKind.PAYMENT_APPROVED:
        unit = mapping.purchase_unit(resource)
        amount, currency = mapping.money(unit.get("amount"))
        return GatewayEvent(
            **base,
            payment_id=_our_id(unit.get("custom_id")),
            session_id=str(resource["id"]),
            amount=amount,
            currency=currency,
        )
    if kind == EventKind.REFUNDS_UPDATED:
        reason = "Reversed by PayPal" if event_type == "PAYMENT.CAPTURE.REVERSED" else ""
        snapshot = mapping.refund_snapshot(resource, reason=reason)
        return GatewayEvent(
            **base,
            payment_reference=_capture_of(resource),
            currency=snapshot.currency,
            refunds=(snapshot,),
        )
    return _capture_event(base, resource)


def _capture_event(base: dict[str, Any], capture: Mapping[str, Any]) -> GatewayEvent:
    amount, currency = mapping.money(capture.get("amount"))
    related = (capture.get("supplementary_data") or {}).get("related_ids") or {}
    details = capture.get("status_details") or {}
    failure = ""
    if base["kind"] == EventKind.PAYMENT_FAILED:
        failure = f"PayPal declined the payment ({details.get('reason') or 'DENIED'})."
    return GatewayEvent(
        **base,
        payment_id=_our_id(capture.get("custom_id")),
        session_id=str(related["order_id"]) if related.get("order_id") else None,
        payment_reference=str(capture["id"]),
        amount=amount,
        currency=currency,
        failure_message=failure,
        fee=mapping.capture_fee(capture),
    )


def _capture_of(refund: Mapping[str, Any]) -> str | None:
    """The capture a refund belongs to, from its ``up`` link."""
    for link in refund.get("links") or []:
        if link.get("rel") == "up" and "/captures/" in str(link.get("href", "")):
            return str(link["href"]).rstrip("/").rsplit("/", 1)[-1]
    return None


def _our_id(value: Any) -> str | None:
    return str(value) if value else None


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
