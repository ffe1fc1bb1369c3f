"""``RazorpayGateway``: Razorpay Payment Links on each user's own Razorpay account."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from payments.errors import GatewayCredentialsInvalid, GatewayError, GatewayRequestRejected
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
)
from trackify_razorpay import events, mapping
from trackify_razorpay.client import RazorpayClient

KEY_ID_SHAPE = re.compile(r"^rzp_(test|live)_[A-Za-z0-9]{8,40}$")
SECRET_SHAPE = re.compile(r"^[A-Za-z0-9]{16,64}$")
# Razorpay refuses a link that expires sooner than 15 minutes after it is made; a minute more
# covers the call's own time and clock skew.
MIN_LINK_LIFETIME = timedelta(minutes=16)
DESCRIPTION_MAX = 2048


class RazorpayGateway(PaymentGatewayBase):
    """Hosted Payment Links: the payer pays on Razorpay's page, Razorpay's webhooks settle it."""

    name = "razorpay"
    display_name = "Razorpay"
    credential_fields = (
        CredentialField(
            name="key_id",
            label="Key ID",
            secret=False,
            help_text="From Account & Settings > API Keys in Razorpay's dashboard: rzp_test_... "
            "for test mode, rzp_live_... for live mode.",
        ),
        CredentialField(name="key_secret", label="Key secret", help_text="Shown once, when the key is generated."),
        CredentialField(
            name="webhook_secret",
            label="Webhook secret",
            help_text="The secret you set on the webhook you add in Razorpay's dashboard "
            "(Account & Settings > Webhooks) for the URL below, with the payment link, "
            "payment.failed and refund events.",
        ),
    )
    signature_header = events.SIGNATURE_HEADER
    supports_checkout_expiry = True

    timeout_seconds: ClassVar[float] = 20

    def __init__(self, *, credentials: Mapping[str, str], mode: str = "test", config_id: str | None = None) -> None:
        super().__init__(credentials=credentials, mode=mode, config_id=config_id)
        self._client: RazorpayClient | None = None

    @classmethod
    def validate_credentials(cls, credentials: Mapping[str, Any], *, mode: str) -> dict[str, str]:
        cleaned = super().validate_credentials(credentials, mode=mode)
        problems: dict[str, list[str]] = {}
        key = KEY_ID_SHAPE.match(cleaned["key_id"])
        if key is None:
            problems["key_id"] = ["A Razorpay key id starts with rzp_test_ or rzp_live_."]
        elif key.group(1) != mode:
            problems["key_id"] = [f"This is a {key.group(1)} key; in {mode} mode use a rzp_{mode}_ key."]
        if not SECRET_SHAPE.match(cleaned["key_secret"]):
            problems["key_secret"] = ["That does not look like a Razorpay key secret."]
        secrets = [part.strip() for part in cleaned["webhook_secret"].split(",")]
        if not all(8 <= len(part) <= 256 for part in secrets):
            problems["webhook_secret"] = ["Each webhook secret has 8 to 256 characters."]
        if problems:
            raise GatewayCredentialsInvalid("Some credentials are malformed.", details=problems)
        return cleaned

    @property
    def client(self) -> RazorpayClient:
        if self._client is None:
            key_id = self.credentials.get("key_id", "")
            secret = self.credentials.get("key_secret", "")
            if not key_id or not secret:
                raise GatewayCredentialsInvalid("This Razorpay configuration has no key id and secret.")
            self._client = RazorpayClient(key_id=key_id, key_secret=secret, timeout=self.timeout_seconds)
        return self._client

    # Calls to Razorpay --------------------------------------------------------------------

    def verify_credentials(self) -> dict[str, Any]:
        """Fetch one payment: Razorpay answers only for a key id and secret it knows."""
        try:
            self.client.call("payment", "all", count=1)
        except GatewayCredentialsInvalid:
            reason = "Razorpay did not accept this key id and secret."
            raise GatewayCredentialsInvalid(reason, details={"key_secret": [reason]}) from None
        return {"mode": self.mode, "key_id": self.credentials.get("key_id", "")}

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """A payment link whose ``reference_id`` is our payment id. Razorpay keeps reference ids
        unique, so a retry first looks for the link an earlier, unanswered call made."""
        amount = mapping.to_razorpay_amount(request.amount, request.currency)  # before any call
        existing = self._link_for(request.payment_id)
        link = existing or self.client.call("payment_link", "create", **self._link_body(request, amount))
        url = link.get("short_url")
        if not isinstance(link.get("id"), str) or not isinstance(url, str) or not url:
            raise GatewayError("Razorpay made a payment link without its URL.", outcome_unknown=True)
        expire_by = link.get("expire_by")
        return CheckoutSession(
            session_id=link["id"],
            checkout_url=url,
            expires_at=datetime.fromtimestamp(expire_by, tz=UTC) if isinstance(expire_by, int) else request.expires_at,
        )

    def _link_body(self, request: CheckoutRequest, amount: int) -> dict[str, Any]:
        expires = max(request.expires_at, datetime.now(tz=UTC) + MIN_LINK_LIFETIME)
        body: dict[str, Any] = {
            "amount": amount,
            "currency": request.currency.upper(),
            "accept_partial": False,
            "reference_id": request.payment_id,
            "description": (request.description.strip() or f"Invoice {request.invoice_number}")[:DESCRIPTION_MAX],
            "expire_by": int(expires.timestamp()),
            "callback_url": request.success_url,
            "callback_method": "get",
            "reminder_enable": False,
            "notify": {"sms": False, "email": False},
            "notes": {mapping.PAYMENT_NOTE: request.payment_id, mapping.INVOICE_NOTE: request.invoice_id},
        }
        if request.customer_email:
            body["customer"] = {"email": request.customer_email}
        return body

    def _link_for(self, payment_id: str) -> dict[str, Any] | None:
        found = self.client.call("payment_link", "all", reference_id=payment_id)
        links = found.get("payment_links")
        if isinstance(links, list):
            for link in links:
                if isinstance(link, dict) and link.get("reference_id") == payment_id:
                    return link
        return None

    def retrieve_payment(self, *, session_id: str, payment_reference: str | None = None) -> PaymentSnapshot:
        link = self.client.call("payment_link", "fetch", session_id)
        try:
            paid_by = payment_reference or mapping.paid_payment_id(link)
            if not paid_by or link.get("status") != "paid":
                return mapping.link_snapshot(link)
            payment = self.client.call("payment", "fetch", paid_by)
            return mapping.link_snapshot(link, payment=payment, refunds=self._refunds_of(paid_by))
        except mapping.Malformed as exc:
            raise GatewayError(f"Razorpay's answer could not be read: {exc}", outcome_unknown=True) from None

    def expire_checkout(self, *, session_id: str) -> PaymentSnapshot:
        """Cancel the payment link (voided invoice, link taken back). Razorpay refuses to cancel
        a link that is no longer open (paid a moment before, or expired): that is no error, the
        answer is the link as it is now."""
        try:
            self.client.call("payment_link", "post_url", f"/v1/payment_links/{session_id}/cancel")
        except GatewayRequestRejected:
            pass
        return self.retrieve_payment(session_id=session_id)

    def _refunds_of(self, payment_reference: str) -> tuple[RefundSnapshot, ...]:
        answer = self.client.call("payment", "fetch_multiple_refund", payment_reference, count=100)
        items = answer.get("items")
        return (
            tuple(mapping.refund_snapshot(item) for item in items if isinstance(item, dict))
            if isinstance(items, list)
            else ()
        )

    def refund(self, request: RefundRequest) -> RefundResult:
        """Razorpay has no idempotency header: the refund carries our refund id in ``receipt``
        and ``notes``, and a retry first looks for a refund that already carries it."""
        if not request.payment_reference:
            raise GatewayError("This Razorpay payment has no captured payment to refund yet.")
        amount = mapping.to_razorpay_amount(request.amount, request.currency)
        try:
            for refund in self._refunds_of(request.payment_reference):
                if refund.our_refund_id == request.refund_id:
                    return refund
            note = {mapping.REFUND_NOTE: request.refund_id}
            if request.reason:
                note["reason"] = request.reason[:255]
            made = self.client.call(
                "payment", "refund", request.payment_reference,
                amount=amount, speed="normal", receipt=request.refund_id, notes=note,
            )  # fmt: skip
            return mapping.refund_snapshot(made)
        except mapping.Malformed as exc:
            raise GatewayError(f"Razorpay's answer could not be read: {exc}", outcome_unknown=True) from None

    def retrieve_refund(self, *, refund_id: str) -> RefundSnapshot:
        try:
            return mapping.refund_snapshot(self.client.call("refund", "fetch", refund_id))
        except mapping.Malformed as exc:
            raise GatewayError(f"Razorpay's answer could not be read: {exc}", outcome_unknown=True) from None

    # Webhooks ------------------------------------------------------------------------------

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> GatewayEvent:
        events.verify(body, headers, secrets)  # before a byte of the body is read
        return events.to_event(body, headers)
