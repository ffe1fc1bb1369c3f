"""An example third-party gateway plugin, installed through the entry-point group in tests.

It stands for a fictional provider "InvoicePay" that needs an API key and signs its webhooks
with an HMAC of the body. Nothing in Trackify knows about it: it arrives only through the
``trackify.payment_gateways`` entry point, as a pip-installed package's would.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from payments.errors import GatewayCredentialsInvalid, WebhookPayloadInvalid, WebhookSignatureInvalid
from payments.gateways.base import (
    CheckoutRequest,
    CheckoutSession,
    CredentialField,
    EventKind,
    GatewayEvent,
    PaymentGatewayBase,
    PaymentSnapshot,
    RefundRequest,
    RefundResult,
    RefundSnapshot,
)

# The provider's side, kept in memory: what its API would remember.
SESSIONS: dict[str, dict[str, Any]] = {}


class InvoicePayGateway(PaymentGatewayBase):
    name = "invoicepay"
    display_name = "InvoicePay"
    credential_fields = (
        CredentialField(name="api_key", label="API key", help_text="Starts with ip_"),
        CredentialField(name="webhook_secret", label="Webhook signing secret", required=False),
    )
    signature_header = "X-InvoicePay-Signature"

    @classmethod
    def validate_credentials(cls, credentials: Mapping[str, Any], *, mode: str) -> dict[str, str]:
        cleaned = super().validate_credentials(credentials, mode=mode)
        if not cleaned["api_key"].startswith("ip_"):
            raise GatewayCredentialsInvalid(details={"api_key": ["InvoicePay keys start with ip_."]})
        return cleaned

    def verify_credentials(self) -> dict[str, Any]:
        return {"account": "acct_" + self.credentials["api_key"][-4:]}

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        session_id = "ips_" + hashlib.sha256(request.idempotency_key.encode()).hexdigest()[:16]
        SESSIONS.setdefault(session_id, {"amount": request.amount, "currency": request.currency, "status": "open"})
        return CheckoutSession(session_id=session_id, checkout_url=f"https://pay.invoicepay.example/{session_id}")

    def retrieve_payment(self, *, session_id: str, payment_reference: str | None = None) -> PaymentSnapshot:
        session = SESSIONS[session_id]
        status = {"open": "pending", "paid": "succeeded"}[session["status"]]
        return PaymentSnapshot(session_id=session_id, status=status, amount=session["amount"], currency=session["currency"])

    def refund(self, request: RefundRequest) -> RefundResult:
        return RefundSnapshot(
            refund_id="ipr_" + request.idempotency_key[-8:], amount=request.amount, currency=request.currency, status="succeeded"
        )

    def retrieve_refund(self, *, refund_id: str) -> RefundSnapshot:
        raise NotImplementedError("InvoicePay refunds settle at once")

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> GatewayEvent:
        signature = headers.get(self.signature_header.lower(), "")
        if not any(hmac.compare_digest(sign(body, secret), signature) for secret in secrets):
            raise WebhookSignatureInvalid()
        try:
            payload = json.loads(body)
            kind = {"session.paid": EventKind.PAYMENT_SUCCEEDED}.get(payload["type"], EventKind.IGNORED)
            return GatewayEvent(
                event_id=payload["id"],
                event_type=payload["type"],
                kind=kind,
                payload=payload,
                session_id=payload["session"],
                amount=Decimal(payload["amount"]),
                currency=payload["currency"],
            )
        except (ValueError, KeyError):
            raise WebhookPayloadInvalid() from None


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
