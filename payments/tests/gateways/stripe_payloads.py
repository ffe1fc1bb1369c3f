"""Builders for Stripe-shaped objects, events and signatures, for this suite and end-to-end tests.

The shapes follow Stripe's published example objects (checkout.session, payment_intent, charge,
refund, event), trimmed to the fields Trackify reads plus a few that make them recognisable.
Amounts are Stripe's integer minor units, currencies lower-case, as Stripe sends them.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import stripe

from payments.gateways.stripe.client import STRIPE_API_VERSION

Obj = dict[str, Any]


def _id(prefix: str) -> str:
    return f"{prefix}_test_{uuid.uuid4().hex[:24]}"


def checkout_session(
    *,
    id: str | None = None,
    payment_id: str | None = None,
    invoice_id: str | None = None,
    amount_total: int | None = 125000,
    currency: str = "usd",
    status: str = "open",
    payment_status: str = "unpaid",
    payment_intent: str | Obj | None = None,
    customer_email: str | None = None,
    expires_at: int | None = None,
    metadata: Mapping[str, str] | None = None,
    client_reference_id: str | None = None,
) -> Obj:
    """A ``checkout.session`` as Stripe returns it for a one-line ``mode=payment`` session."""
    session_id = id or _id("cs")
    meta = dict(metadata or {})
    if payment_id:
        meta.setdefault("trackify_payment_id", payment_id)
    if invoice_id:
        meta.setdefault("trackify_invoice_id", invoice_id)
    now = int(time.time())
    return {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": amount_total,
        "amount_total": amount_total,
        "cancel_url": "https://app.example.com/pay/cancel",
        "client_reference_id": client_reference_id if client_reference_id is not None else payment_id,
        "created": now,
        "currency": currency,
        "customer": None,
        "customer_details": {"email": customer_email} if customer_email else None,
        "customer_email": customer_email,
        "expires_at": expires_at if expires_at is not None else now + 3600,
        "livemode": False,
        "metadata": meta,
        "mode": "payment",
        "payment_intent": payment_intent,
        "payment_method_types": ["card"],
        "payment_status": payment_status,
        "status": status,
        "success_url": "https://app.example.com/pay/success",
        "url": f"https://checkout.stripe.com/c/pay/{session_id}" if status == "open" else None,
    }


def payment_intent(
    *,
    id: str | None = None,
    status: str = "succeeded",
    amount: int = 125000,
    currency: str = "usd",
    payment_id: str | None = None,
    last_payment_error: Mapping[str, Any] | None = None,
    cancellation_reason: str | None = None,
) -> Obj:
    """A ``payment_intent`` (as created by Checkout, carrying our metadata)."""
    return {
        "id": id or _id("pi"),
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if status == "succeeded" else 0,
        "cancellation_reason": cancellation_reason,
        "created": int(time.time()),
        "currency": currency,
        "last_payment_error": dict(last_payment_error) if last_payment_error else None,
        "latest_charge": None,
        "livemode": False,
        "metadata": {"trackify_payment_id": payment_id} if payment_id else {},
        "status": status,
    }


def refund(
    *,
    id: str | None = None,
    amount: int = 5000,
    currency: str = "usd",
    status: str = "succeeded",
    payment_intent: str | None = None,
    refund_id: str | None = None,
    payment_id: str | None = None,
    reason: str | None = "requested_by_customer",
    reason_text: str | None = None,
    failure_reason: str | None = None,
) -> Obj:
    """A ``refund``; ``refund_id``/``payment_id``/``reason_text`` are our metadata."""
    meta: dict[str, str] = {}
    if refund_id:
        meta["trackify_refund_id"] = refund_id
    if payment_id:
        meta["trackify_payment_id"] = payment_id
    if reason_text:
        meta["reason"] = reason_text
    return {
        "id": id or _id("re"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": None,
        "charge": _id("ch"),
        "created": int(time.time()),
        "currency": currency,
        "failure_reason": failure_reason,
        "metadata": meta,
        "payment_intent": payment_intent,
        "reason": reason,
        "status": status,
    }


def charge(
    *,
    id: str | None = None,
    payment_intent: str | None = None,
    amount: int = 125000,
    amount_refunded: int = 0,
    currency: str = "usd",
    refunds: Sequence[Obj] | None = None,
) -> Obj:
    """A ``charge``; ``refunds=None`` leaves the list out, as API versions since 2022-11-15 do."""
    charge_id = id or _id("ch")
    obj: Obj = {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": amount_refunded,
        "captured": True,
        "currency": currency,
        "metadata": {},
        "paid": True,
        "payment_intent": payment_intent,
        "refunded": amount_refunded >= amount,
        "status": "succeeded",
    }
    if refunds is not None:
        obj["refunds"] = {
            "object": "list",
            "data": list(refunds),
            "has_more": False,
            "url": f"/v1/charges/{charge_id}/refunds",
        }
    return obj


def dispute(
    *,
    id: str | None = None,
    payment_intent: str,
    amount: int = 125000,
    currency: str = "usd",
    status: str = "needs_response",
    reason: str = "fraudulent",
    due_by: int | None = None,
) -> Obj:
    """A ``dispute`` (chargeback) of the PaymentIntent's charge."""
    return {
        "id": id or _id("dp"),
        "object": "dispute",
        "amount": amount,
        "charge": _id("ch"),
        "created": int(time.time()),
        "currency": currency,
        "evidence_details": {"due_by": due_by, "has_evidence": False, "past_due": False, "submission_count": 0},
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": payment_intent,
        "reason": reason,
        "status": status,
    }


def balance(*, livemode: bool = False) -> Obj:
    return {
        "object": "balance",
        "available": [{"amount": 0, "currency": "usd", "source_types": {"card": 0}}],
        "livemode": livemode,
        "pending": [{"amount": 0, "currency": "usd", "source_types": {"card": 0}}],
    }


def list_of(items: Sequence[Obj], *, url: str, has_more: bool = False) -> Obj:
    """A Stripe list object (``GET /v1/refunds`` and friends)."""
    return {"object": "list", "data": list(items), "has_more": has_more, "url": url}


def error(message: str, *, type: str = "invalid_request_error", code: str | None = None, param: str | None = None) -> Obj:
    """Stripe's error body."""
    body: Obj = {"type": type, "message": message}
    if code:
        body["code"] = code
    if param:
        body["param"] = param
    return {"error": body}


def event(type: str, obj: Mapping[str, Any], *, id: str | None = None, created: int | None = None) -> Obj:
    """An ``event`` wrapping ``obj`` as Stripe delivers it to a webhook endpoint."""
    return {
        "id": id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": STRIPE_API_VERSION,
        "created": created if created is not None else int(time.time()),
        "data": {"object": dict(obj)},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type,
    }


def encode(payload: Mapping[str, Any]) -> bytes:
    """The body bytes Stripe would POST (compact JSON is fine: the signature covers the exact bytes)."""
    return json.dumps(payload).encode("utf-8")


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header value: ``t=<unix time>,v1=<HMAC-SHA256 of "t.body">``."""
    return stripe.WebhookSignature.generate_signature_header(payload.decode("utf-8"), secret, timestamp=timestamp)


def signed_headers(payload: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers as the webhook view passes them to the gateway (lower-case names)."""
    return {"stripe-signature": sign(payload, secret, timestamp), "content-type": "application/json"}
