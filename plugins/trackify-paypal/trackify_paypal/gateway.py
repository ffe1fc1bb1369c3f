"""``PayPalGateway``: PayPal Checkout (Orders v2) on each user's own PayPal REST app."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, ClassVar

from payments.errors import GatewayCredentialsInvalid, GatewayError, GatewayRequestRejected, WebhookSignatureInvalid
from payments.gateways.base import (
    CheckoutRequest,
    CheckoutSession,
    CredentialField,
    GatewayEvent,
    PaymentGatewayBase,
    PaymentSnapshot,
    RefundRequest,
    RefundResult,
    RefundSnapshot,
    WebhookEndpoint,
)
from trackify_paypal import events, mapping
from trackify_paypal.amounts import to_paypal_value
from trackify_paypal.client import PayPalClient

# PayPal's client ids and secrets are long URL-safe strings.
CREDENTIAL_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,128}$")
# PayPal's refusals of a capture that the order's state explains.
CAPTURE_STATE_ISSUES = frozenset({"ORDER_ALREADY_CAPTURED", "ORDER_NOT_APPROVED", "INSTRUMENT_DECLINED"})
# PayPal limits a purchase unit's description to 127 characters.
DESCRIPTION_MAX = 127


class PayPalGateway(PaymentGatewayBase):
    """Orders v2 with intent CAPTURE: the payer approves on PayPal, Trackify captures."""

    name = "paypal"
    display_name = "PayPal"
    credential_fields = (
        CredentialField(
            name="client_id",
            label="Client ID",
            secret=False,
            help_text="From your REST app under Apps & Credentials in PayPal's developer dashboard "
            "(a Sandbox app for test mode, a Live app for live mode).",
        ),
        CredentialField(
            name="client_secret",
            label="Secret",
            help_text="The same app's secret. Trackify checks it with PayPal and registers its own "
            "webhook for this connection: no webhook set-up on your side.",
        ),
    )
    signature_header = events.SIGNATURE_HEADER
    needs_webhook_setup = False
    supports_managed_webhooks = True
    requires_capture = True

    timeout_seconds: ClassVar[float] = 20

    def __init__(self, *, credentials: Mapping[str, str], mode: str = "test", config_id: str | None = None) -> None:
        super().__init__(credentials=credentials, mode=mode, config_id=config_id)
        self._client: PayPalClient | None = None

    @classmethod
    def validate_credentials(cls, credentials: Mapping[str, Any], *, mode: str) -> dict[str, str]:
        cleaned = super().validate_credentials(credentials, mode=mode)
        problems = {
            spec.name: [f"That does not look like a PayPal {spec.label.lower()}."]
            for spec in cls.credential_fields
            if not CREDENTIAL_SHAPE.match(cleaned[spec.name])
        }
        if problems:
            raise GatewayCredentialsInvalid("Some credentials are malformed.", details=problems)
        webhook_id = credentials.get("webhook_id")
        if isinstance(webhook_id, str) and webhook_id:  # stored by the managed endpoint
            cleaned["webhook_id"] = webhook_id
        return cleaned

    def webhook_secrets(self) -> Sequence[str]:
        """The webhook id PayPal gave this connection's endpoint (what verification needs)."""
        webhook_id = self.credentials.get("webhook_id", "")
        return [webhook_id] if webhook_id else []

    @property
    def client(self) -> PayPalClient:
        if self._client is None:
            client_id = self.credentials.get("client_id", "")
            secret = self.credentials.get("client_secret", "")
            if not client_id or not secret:
                raise GatewayCredentialsInvalid("This PayPal configuration has no client id and secret.")
            self._client = PayPalClient(
                client_id=client_id, client_secret=secret, mode=self.mode, timeout=self.timeout_seconds
            )
        return self._client

    # Calls to PayPal -----------------------------------------------------------------------

    def verify_credentials(self) -> dict[str, Any]:
        """An OAuth token request: PayPal answers one only for a valid id and secret of an app
        of the mode's kind (a Sandbox app's keys are unknown to the live API, and the reverse)."""
        try:
            self.client.access_token()
        except GatewayCredentialsInvalid:
            kind = "Live" if self.mode == "live" else "Sandbox"
            reason = f"PayPal did not accept these keys; in {self.mode} mode they must be a {kind} app's."
            raise GatewayCredentialsInvalid(reason, details={"client_secret": [reason]}) from None
        return {"mode": self.mode, "api": "live" if self.mode == "live" else "sandbox"}

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        value = to_paypal_value(request.amount, request.currency)  # refused before any call
        unit = {
            "reference_id": request.payment_id,
            "custom_id": request.payment_id,
            "invoice_id": request.payment_id,
            "description": (request.description.strip() or f"Invoice {request.invoice_number}")[:DESCRIPTION_MAX],
            "amount": {"currency_code": request.currency.upper(), "value": value},
        }
        body = {
            "intent": "CAPTURE",
            "purchase_units": [unit],
            "payment_source": {
                "paypal": {
                    "experience_context": {
                        "return_url": request.success_url,
                        "cancel_url": request.cancel_url,
                        "user_action": "PAY_NOW",
                        "shipping_preference": "NO_SHIPPING",
                    }
                }
            },
        }
        order = self.client.call(
            "orders",
            "create_order",
            {"body": body, "paypal_request_id": request.idempotency_key, "prefer": "return=representation"},
        )
        url = mapping.approve_url(order)
        if not order.get("id") or not url:
            raise GatewayError("PayPal opened an order without an approval link.", outcome_unknown=True)
        return CheckoutSession(session_id=str(order["id"]), checkout_url=url, expires_at=request.expires_at)

    def retrieve_payment(self, *, session_id: str, payment_reference: str | None = None) -> PaymentSnapshot:
        return mapping.order_snapshot(self.client.call("orders", "get_order", {"id": session_id}))

    def capture_payment(
        self, *, session_id: str, payment_reference: str | None, idempotency_key: str
    ) -> PaymentSnapshot:
        """Capture the approved order; the same key answers the same capture, however often.

        PayPal refusing the capture because of the order's state (captured already, not approved
        yet, or the payer's funding declined and to be chosen again on PayPal) is not an error:
        the answer is the order as it is now, and nothing is captured twice.
        """
        try:
            order = self.client.call(
                "orders",
                "capture_order",
                {"id": session_id, "paypal_request_id": idempotency_key, "prefer": "return=representation"},
            )
        except GatewayRequestRejected as exc:
            issue = (exc.details.get("paypal_issue") or [""])[0]
            if issue not in CAPTURE_STATE_ISSUES:
                raise
            snapshot = self.retrieve_payment(session_id=session_id)
            # A declined funding source waits for the payer, not for another capture.
            return replace(snapshot, needs_capture=False) if issue == "INSTRUMENT_DECLINED" else snapshot
        return mapping.order_snapshot(order)

    def refund(self, request: RefundRequest) -> RefundResult:
        if not request.payment_reference:
            raise GatewayError("This PayPal payment has no capture to refund yet.")
        body: dict[str, Any] = {
            "amount": {
                "currency_code": request.currency.upper(),
                "value": to_paypal_value(request.amount, request.currency),
            },
            "custom_id": mapping.REFUND_ID_PREFIX + request.refund_id,
        }
        if request.reason:
            body["note_to_payer"] = request.reason[:255]
        refund = self.client.call(
            "payments",
            "refund_captured_payment",
            {
                "capture_id": request.payment_reference,
                "body": body,
                "paypal_request_id": request.idempotency_key,
                "prefer": "return=representation",
            },
        )
        return mapping.refund_snapshot(refund)

    def retrieve_refund(self, *, refund_id: str) -> RefundSnapshot:
        return mapping.refund_snapshot(self.client.call("payments", "get_refund", {"refund_id": refund_id}))

    # Managed webhooks ---------------------------------------------------------------------

    def create_webhook_endpoint(self, *, url: str) -> WebhookEndpoint:
        body = {"url": url, "event_types": [{"name": name} for name in events.SUBSCRIBED_EVENTS]}
        created = self.client.rest("POST", "/v1/notifications/webhooks", body=json.dumps(body).encode())
        if not created.get("id"):
            raise GatewayError("PayPal did not return the new webhook's id.")
        return WebhookEndpoint(endpoint_id=str(created["id"]), credentials={"webhook_id": str(created["id"])})

    def delete_webhook_endpoint(self, *, endpoint_id: str) -> None:
        self.client.rest("DELETE", f"/v1/notifications/webhooks/{endpoint_id}")

    # Webhooks ------------------------------------------------------------------------------

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> GatewayEvent:
        """Ask PayPal whether the delivery is genuine (for each webhook id this config accepts)."""
        payload = events.read(body)
        if not secrets:
            raise WebhookSignatureInvalid("This PayPal connection has no registered webhook.")
        for webhook_id in secrets:
            request = events.verification_request(body=body, headers=headers, webhook_id=webhook_id)
            answer = self.client.rest("POST", "/v1/notifications/verify-webhook-signature", body=request)
            if answer.get("verification_status") == "SUCCESS":
                return events.to_event(payload)
        raise WebhookSignatureInvalid("PayPal did not confirm this webhook's signature.")
