"""The built-in sandbox gateway: hosted checkout with no credentials and no network.

It is the default for the demo and the tests, and goes through the same webhook endpoint,
signature check and processing code as a real gateway. Like the Stripe adapter it only
translates: its API is ``sandbox.client`` (the sandbox app plays the provider), and its answers
are plain dicts, as a remote API's JSON would be.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from core import json_input
from payments.errors import GatewayRequestRejected, WebhookPayloadInvalid, WebhookSignatureInvalid
from payments.gateways.base import (
    CheckoutRequest,
    CheckoutSession,
    EventKind,
    Fee,
    GatewayEvent,
    PaymentGatewayBase,
    PaymentSnapshot,
    RefundRequest,
    RefundResult,
    RefundSnapshot,
    SavedMethod,
    SavedMethodCharge,
)
from payments.gateways.registry import register
from sandbox.client import SIGNATURE_HEADER, SandboxClient, SandboxError

TOLERANCE_SECONDS = 300

_EVENT_KINDS = {
    "checkout.payment_failed": EventKind.PAYMENT_FAILED,
    "checkout.async_payment_succeeded": EventKind.PAYMENT_SUCCEEDED,
    "checkout.async_payment_failed": EventKind.PAYMENT_FAILED,
    "checkout.expired": EventKind.PAYMENT_EXPIRED,
    "refund.updated": EventKind.REFUNDS_UPDATED,
}


@register
class SandboxGateway(PaymentGatewayBase):
    name = "sandbox"
    display_name = "Sandbox (test payments, no real money)"
    credential_fields = ()
    signature_header = SIGNATURE_HEADER
    needs_webhook_setup = False  # its checkout page delivers the webhooks itself
    supports_saved_payment_methods = True  # "save for autopay" on its checkout page
    supports_checkout_expiry = True  # an expired session's page answers 410

    @classmethod
    def validate_credentials(cls, credentials: Mapping[str, Any], *, mode: str) -> dict[str, str]:
        # Nothing to enter; the config gets its own webhook signing secret once, at creation.
        secret = credentials.get("webhook_secret")
        return {"webhook_secret": secret if isinstance(secret, str) and secret else f"whsec_sbx_{secrets.token_hex(24)}"}

    @classmethod
    def credentials_preview(cls, credentials: Mapping[str, str]) -> dict[str, str]:
        return {}

    def verify_credentials(self) -> dict[str, Any]:
        return {"ok": True, "mode": "test", "detail": "The sandbox needs no credentials."}

    def _client(self) -> SandboxClient:
        return SandboxClient(account=str(self.config_id), webhook_secret=self.credentials.get("webhook_secret", ""))

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        session = self._client().create_session(
            idempotency_key=request.idempotency_key,
            amount=request.amount,
            currency=request.currency,
            description=request.description,
            customer_email=request.customer_email or "",
            success_url=request.success_url,
            cancel_url=request.cancel_url,
            metadata={
                **request.metadata,
                "payment_id": request.payment_id,
                "invoice_id": request.invoice_id,
                **({"save_payment_method": "true"} if request.save_payment_method else {}),
            },
            expires_at=request.expires_at,
        )
        return CheckoutSession(
            session_id=session["id"],
            checkout_url=session["url"],
            expires_at=datetime.fromisoformat(session["expires_at"]),
            payment_reference=session["payment_reference"],
        )

    def retrieve_payment(self, *, session_id: str, payment_reference: str | None = None) -> PaymentSnapshot:
        try:
            session = self._client().retrieve_session(session_id)
        except SandboxError:
            raise GatewayRequestRejected(f"The sandbox has no checkout {session_id}.") from None
        return _snapshot(session)

    def expire_checkout(self, *, session_id: str) -> PaymentSnapshot:
        try:
            session = self._client().expire_session(session_id)
        except SandboxError:
            raise GatewayRequestRejected(f"The sandbox has no checkout {session_id}.") from None
        return _snapshot(session)

    def charge_saved_method(self, request: SavedMethodCharge) -> PaymentSnapshot:
        try:
            charge = self._client().charge_saved_method(
                idempotency_key=request.idempotency_key,
                amount=request.amount,
                currency=request.currency,
                description=request.description,
                customer_id=request.customer_id,
                method_id=request.method_id,
                metadata={**request.metadata, "payment_id": request.payment_id, "invoice_id": request.invoice_id},
            )
        except SandboxError as exc:
            raise GatewayRequestRejected(f"The sandbox refused the charge: {exc}") from None
        metadata = charge["metadata"]
        return PaymentSnapshot(
            session_id=charge["id"],
            status=_payment_status(charge),
            amount=_amount(charge["amount"]),
            currency=charge["currency"],
            payment_reference=charge["payment_reference"],
            fee=_fee(charge.get("fee")),
            failure_message=str(metadata.get("failure_message", "")),
            decline_code=str(metadata.get("decline_code", "")),
        )

    def refund(self, request: RefundRequest) -> RefundResult:
        try:
            record = self._client().refund(
                session_id=request.session_id,
                amount=request.amount,
                idempotency_key=request.idempotency_key,
                metadata={"refund_id": request.refund_id, "payment_id": request.payment_id},
            )
        except SandboxError as exc:
            raise GatewayRequestRejected(f"The sandbox refused the refund: {exc}") from None
        return _refund(record)

    def retrieve_refund(self, *, refund_id: str) -> RefundSnapshot:
        try:
            record = self._client().retrieve_refund(refund_id)
        except SandboxError:
            raise GatewayRequestRejected(f"The sandbox has no refund {refund_id}.") from None
        return _refund(record)

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> GatewayEvent:
        _verify(body, headers.get(SIGNATURE_HEADER.lower(), ""), secrets)
        try:
            return _event(json_input.loads(body))
        except json_input.UnreadableJSON as exc:
            raise WebhookPayloadInvalid(f"The body is not a sandbox event: {exc}") from None
        except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError, OverflowError):
            # Signed but not what the sandbox sends: refuse it whole rather than store half of it.
            raise WebhookPayloadInvalid("The body is not a sandbox event.") from None


def _snapshot(session: Mapping[str, Any]) -> PaymentSnapshot:
    """A checkout as the sandbox's API answers it, as a ``PaymentSnapshot``."""
    return PaymentSnapshot(
        session_id=session["id"],
        status=_payment_status(session),
        amount=_amount(session["amount"]),
        currency=session["currency"],
        payment_reference=session["payment_reference"],
        refunds=tuple(_refund(r) for r in session["refunds"]),
        fee=_fee(session.get("fee")),
        saved_method=_saved_method(session),
    )


def _event(payload: Any) -> GatewayEvent:
    """A decoded sandbox event as a ``GatewayEvent``; every field is checked for its type."""
    if not isinstance(payload, dict):
        raise WebhookPayloadInvalid("The body is not a sandbox event.")
    data = payload.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        raise WebhookPayloadInvalid("The event has no object.")
    event_type = _required(payload, "type")
    kind = _EVENT_KINDS.get(event_type, EventKind.IGNORED)
    if event_type == "checkout.completed":
        kind = EventKind.PAYMENT_SUCCEEDED if obj.get("payment_status") == "paid" else EventKind.PAYMENT_PROCESSING
    refunds = obj.get("refunds", [])
    if not isinstance(refunds, list):
        raise WebhookPayloadInvalid("The event's refunds are not a list.")
    created = payload.get("created")
    return GatewayEvent(
        event_id=_required(payload, "id"),
        event_type=event_type,
        kind=kind,
        payload=payload,
        payment_id=_metadata(obj).get("payment_id"),
        session_id=_text(obj, "id"),
        payment_reference=_text(obj, "payment_reference"),
        amount=_amount(obj["amount"]) if "amount" in obj else None,
        currency=_text(obj, "currency"),
        refunds=tuple(_refund(r) for r in refunds) if kind == EventKind.REFUNDS_UPDATED else (),
        failure_message=str(obj.get("failure_message", "")),
        occurred_at=_timestamp(created),
        fee=_fee(obj.get("fee")),
    )


def _text(obj: Mapping[str, Any], key: str) -> str | None:
    return None if obj.get(key) is None else _required(obj, key)


def _required(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise WebhookPayloadInvalid(f"The event's {key} is not a text.")
    return value


def _metadata(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    value = obj.get("metadata") or {}
    if not isinstance(value, dict):
        raise WebhookPayloadInvalid("The event's metadata is not an object.")
    found = value.get("payment_id")
    if found is not None and not isinstance(found, str):
        raise WebhookPayloadInvalid("The event's payment id is not a text.")
    return value


def _amount(value: Any) -> Decimal:
    # The sandbox sends amounts as decimal strings; Decimal() would also take a float, a bool or a
    # (sign, digits, exponent) list, none of which is an amount.
    if not isinstance(value, str):
        raise WebhookPayloadInvalid("The event's amount is not a decimal string.")
    amount = Decimal(value)
    if not amount.is_finite():
        raise WebhookPayloadInvalid("The event's amount is not a number.")
    return amount


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return datetime.fromtimestamp(value, tz=UTC)  # out of range: OverflowError/ValueError, a 400


def _verify(body: bytes, header: str, secrets_: Sequence[str]) -> None:
    if not secrets_:
        raise WebhookSignatureInvalid("No webhook secret is configured for this endpoint.")
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
        signature = parts["v1"]
    except (KeyError, ValueError):
        raise WebhookSignatureInvalid(f"The {SIGNATURE_HEADER} header is missing or malformed.") from None
    if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
        raise WebhookSignatureInvalid("The signature's timestamp is outside the tolerance.")
    signed = f"{timestamp}.".encode() + body
    for secret in secrets_:
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, signature):
            return
    raise WebhookSignatureInvalid("The signature does not match.")


def _payment_status(obj: Mapping[str, Any]) -> str:
    if obj["payment_status"] == "paid":
        return "succeeded"
    if obj["payment_status"] == "processing":
        return "processing"
    if obj["payment_status"] == "failed":
        return "failed"
    return "expired" if obj["status"] == "expired" else "pending"


def _saved_method(session: Mapping[str, Any]) -> SavedMethod | None:
    """The method the payer saved on a paid checkout (ids and a label only), if they did."""
    saved = (session.get("metadata") or {}).get("saved_method")
    if session.get("payment_status") != "paid" or not isinstance(saved, Mapping):
        return None
    return SavedMethod(
        customer_id=str(saved["customer_id"]), method_id=str(saved["method_id"]), label=str(saved.get("label", ""))
    )


def _refund(record: Mapping[str, Any]) -> RefundSnapshot:
    """A refund as the sandbox lists it (from its API or in an event: both are checked)."""
    if not isinstance(record, Mapping):
        raise WebhookPayloadInvalid("A refund in the event is not an object.")
    metadata = record.get("metadata") or {}
    if not isinstance(metadata, Mapping):
        raise WebhookPayloadInvalid("A refund's metadata is not an object.")
    our_id = metadata.get("refund_id")
    return RefundSnapshot(
        refund_id=_required(record, "id"),
        amount=_amount(record["amount"]),
        currency=_required(record, "currency"),
        status=_required(record, "status"),
        our_refund_id=our_id if isinstance(our_id, str) else None,
        fee=_fee(record.get("fee")),
    )


def _fee(value: Any) -> Fee | None:
    """The sandbox's test fee (``{"fee", "net", "currency"}``, decimal strings), or None if not charged."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise WebhookPayloadInvalid("The fee is not an object.")
    return Fee(fee=_amount(value.get("fee")), net=_amount(value.get("net")), currency=_required(value, "currency"))
