"""``StripeGateway``: Stripe Checkout for one user's own Stripe account."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from django.conf import settings

from payments.errors import GatewayCredentialsInvalid, GatewayError, PaymentError, RefundNotAllowed
from payments.gateways.base import (
    CheckoutRequest,
    CheckoutSession,
    GatewayEvent,
    PaymentGatewayBase,
    PaymentSnapshot,
    RefundRequest,
    RefundResult,
    RefundSnapshot,
    SavedMethodCharge,
    WebhookEndpoint,
)
from payments.gateways.registry import register
from payments.gateways.stripe import credentials as stripe_credentials
from payments.gateways.stripe import endpoints, events, expiry, mapping, saved_methods
from payments.gateways.stripe.amounts import (
    check_minimum_charge,
    to_stripe_amount,
)
from payments.gateways.stripe.client import (
    DEFAULT_MAX_NETWORK_RETRIES,
    DEFAULT_TIMEOUT_SECONDS,
    build_client,
    stripe_errors,
)

if TYPE_CHECKING:
    import stripe
    from stripe.params import RefundCreateParams
    from stripe.params.checkout import (
        SessionCreateParams,
        SessionCreateParamsLineItemPriceDataProductData,
    )

# Stripe accepts a Checkout Session's expires_at between 30 minutes and 24 hours after creation.
# The margin covers the time our request takes to reach Stripe and a little clock skew.
logger = logging.getLogger(__name__)

CHECKOUT_MIN_LIFETIME = timedelta(minutes=30)
CHECKOUT_MAX_LIFETIME = timedelta(hours=24)
EXPIRY_MARGIN = timedelta(minutes=1)

RefundReason = Literal["duplicate", "fraudulent", "requested_by_customer"]
REFUND_REASONS: dict[str, RefundReason] = {
    "duplicate": "duplicate",
    "fraudulent": "fraudulent",
    "requested_by_customer": "requested_by_customer",
}
# Stripe metadata values are limited to 500 characters.
METADATA_VALUE_MAX = 500


@register
class StripeGateway(PaymentGatewayBase):
    """Stripe Checkout (hosted payment page), refunds and webhooks, on the user's own account."""

    name = "stripe"
    display_name = "Stripe"
    credential_fields = stripe_credentials.CREDENTIAL_FIELDS
    signature_header = events.SIGNATURE_HEADER
    # Trackify creates the webhook endpoint on the user's account (secret keys and restricted
    # keys with Webhook Endpoints write access); a key that may not falls back to a typed secret.
    supports_managed_webhooks = True
    supports_saved_payment_methods = True  # autopay: saved at checkout, off-session PaymentIntents
    supports_checkout_expiry = True  # POST /v1/checkout/sessions/{id}/expire

    # Class attributes rather than settings so a test can shorten them on one class.
    timeout_seconds: ClassVar[float] = DEFAULT_TIMEOUT_SECONDS
    max_network_retries: ClassVar[int] = DEFAULT_MAX_NETWORK_RETRIES

    def __init__(self, *, credentials: Mapping[str, str], mode: str = "test", config_id: str | None = None) -> None:
        super().__init__(credentials=credentials, mode=mode, config_id=config_id)
        # Built on first use: parsing a webhook needs no client, nor even a secret key.
        self._client: stripe.StripeClient | None = None

    # Configuration -------------------------------------------------------------------------

    @classmethod
    def validate_credentials(cls, credentials: Mapping[str, Any], *, mode: str) -> dict[str, str]:
        """Check prefixes, test/live consistency and the mode; the webhook secret may come later."""
        return stripe_credentials.validate(credentials, mode=mode)

    @classmethod
    def platform_webhook_secrets(cls) -> Sequence[str]:
        """The platform endpoint's secrets, from ``STRIPE_WEBHOOK_SECRET`` (comma-separated)."""
        raw = getattr(settings, "STRIPE_WEBHOOK_SECRET", None) or ""
        return [part.strip() for part in raw.split(",") if part.strip()]

    @property
    def client(self) -> stripe.StripeClient:
        """This configuration's own client (never the SDK's global key)."""
        if self._client is None:
            secret_key = self.credentials.get("secret_key", "")
            if not secret_key:
                raise GatewayCredentialsInvalid("This Stripe configuration has no secret key.")
            self._client = build_client(
                secret_key, timeout=self.timeout_seconds, max_network_retries=self.max_network_retries
            )
        return self._client

    # Calls to Stripe -----------------------------------------------------------------------

    def verify_credentials(self) -> dict[str, Any]:
        """Retrieve the account's balance: the cheapest call every key (restricted ones with
        Balance read) may make. Returns whether the key is live."""
        with stripe_errors():
            balance = self.client.v1.balance.retrieve()
        livemode = bool(balance.livemode)
        if livemode != (self.mode == "live"):
            raise GatewayCredentialsInvalid(
                f"Stripe says this is a {'live' if livemode else 'test'} key but the configuration is in {self.mode} mode."
            )
        return {"livemode": livemode, "mode": "live" if livemode else "test"}

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Open a Checkout Session (mode=payment) with one line for the invoice."""
        currency = request.currency.upper()
        check_minimum_charge(request.amount, currency)
        unit_amount = to_stripe_amount(request.amount, currency)
        meta = self._metadata(
            request.metadata,
            {mapping.PAYMENT_ID_KEY: request.payment_id, mapping.INVOICE_ID_KEY: request.invoice_id},
        )
        product: SessionCreateParamsLineItemPriceDataProductData = {"name": f"Invoice {request.invoice_number}"}
        if request.description.strip():
            # Stripe refuses an empty description, so the key is left out rather than blank.
            product["description"] = request.description.strip()[:METADATA_VALUE_MAX]
        params: SessionCreateParams = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": currency.lower(),
                        "unit_amount": unit_amount,
                        "product_data": product,
                    },
                }
            ],
            "client_reference_id": request.payment_id,
            "metadata": meta,
            # The PaymentIntent carries the same ids, so its own events (payment_failed,
            # canceled) can be matched without the session.
            "payment_intent_data": {"metadata": meta, "description": f"Invoice {request.invoice_number}"},
            # No {CHECKOUT_SESSION_ID} placeholder: the return pages already know our payment id
            # and poll its status; the webhook, not the redirect, decides the outcome.
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "expires_at": int(self._clamp_expiry(request.expires_at).timestamp()),
        }
        if request.customer_email:
            params["customer_email"] = request.customer_email
        if request.save_payment_method:
            saved_methods.save_for_later(params)
        with stripe_errors():
            session = self.client.v1.checkout.sessions.create(
                params, options={"idempotency_key": request.idempotency_key}
            )
        if not session.url:
            raise GatewayError("Stripe opened a checkout without a payment page URL.")
        return CheckoutSession(
            session_id=session.id,
            checkout_url=session.url,
            expires_at=mapping.timestamp(session.expires_at),
            payment_reference=mapping.object_id(session.to_dict().get("payment_intent")),
        )

    def retrieve_payment(self, *, session_id: str, payment_reference: str | None = None) -> PaymentSnapshot:
        """The session's status (with its PaymentIntent expanded) and the PaymentIntent's refunds."""
        with stripe_errors():
            session = self.client.v1.checkout.sessions.retrieve(
                session_id, {"expand": ["payment_intent.latest_charge.balance_transaction"]}
            ).to_dict()
        expanded = session.get("payment_intent")
        payment_intent = expanded if isinstance(expanded, Mapping) else None
        reference = mapping.object_id(expanded) or payment_reference
        amount, currency = mapping.money(session, "amount_total")
        return PaymentSnapshot(
            session_id=session_id,
            status=mapping.payment_status(session, payment_intent),
            amount=amount,
            currency=currency,
            payment_reference=reference,
            failure_message=mapping.failure_message(payment_intent),
            refunds=self._refunds_of(reference) if reference else (),
            fee=mapping.charge_fee((payment_intent or {}).get("latest_charge")),
            saved_method=saved_methods.saved_method(session, payment_intent),
        )

    def expire_checkout(self, *, session_id: str) -> PaymentSnapshot:
        """Expire the Checkout Session, then read it: one the payer completed first comes back paid."""
        expiry.expire(self.client, session_id)
        return self.retrieve_payment(session_id=session_id)

    def charge_saved_method(self, request: SavedMethodCharge) -> PaymentSnapshot:
        """An off-session PaymentIntent on the saved customer and method (autopay)."""
        meta = self._metadata(
            request.metadata, {mapping.PAYMENT_ID_KEY: request.payment_id, mapping.INVOICE_ID_KEY: request.invoice_id}
        )
        return saved_methods.charge(self.client, request, meta)

    def refund(self, request: RefundRequest) -> RefundResult:
        """Refund part or all of the payment's PaymentIntent."""
        reference = request.payment_reference or self._payment_intent_of(request.session_id)
        if not reference:
            raise RefundNotAllowed("Stripe has no completed payment for this checkout to refund.")
        currency = request.currency.upper()
        reason_text = (request.reason or "").strip()
        meta = {
            mapping.REFUND_ID_KEY: request.refund_id,
            mapping.PAYMENT_ID_KEY: request.payment_id,
        }
        if reason_text:
            meta[mapping.REFUND_REASON_KEY] = reason_text[:METADATA_VALUE_MAX]
        params: RefundCreateParams = {
            "payment_intent": reference,
            "amount": to_stripe_amount(request.amount, currency),
            "metadata": meta,
            # Stripe's reason is an enum with side effects ("fraudulent" blocks the card), so it
            # is sent only when the user picked one of its values; the free text goes in metadata.
            "reason": REFUND_REASONS.get(reason_text, "requested_by_customer"),
            "expand": ["balance_transaction"],
        }
        with stripe_errors(refund=True):
            refund = self.client.v1.refunds.create(params, options={"idempotency_key": request.idempotency_key})
        return mapping.refund_snapshot(refund.to_dict())

    def retrieve_refund(self, *, refund_id: str) -> RefundSnapshot:
        with stripe_errors(refund=True):
            refund = self.client.v1.refunds.retrieve(refund_id, {"expand": ["balance_transaction"]})
        return mapping.refund_snapshot(refund.to_dict())

    # Webhooks ------------------------------------------------------------------------------

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> GatewayEvent:
        """Verify ``Stripe-Signature`` (5-minute tolerance) and normalize the event."""
        event = events.parse(body, headers, secrets)
        return self._with_charge_fee(event)

    def create_webhook_endpoint(self, *, url: str) -> WebhookEndpoint:
        """An endpoint at ``url`` with exactly the events Trackify handles, at our API version."""
        return endpoints.create(self.client, url=url, config_id=self.config_id)

    def delete_webhook_endpoint(self, *, endpoint_id: str) -> None:
        endpoints.delete(self.client, endpoint_id=endpoint_id)

    def _with_charge_fee(self, event: GatewayEvent) -> GatewayEvent:
        """A charge event names its balance transaction by id only (webhooks expand nothing):
        with this config's key, read its fee now. Best effort: the event is stored and applied
        without a fee if Stripe cannot answer (a later status read finds it)."""
        if event.event_type not in events.CHARGE_FEE_EVENTS or event.fee is not None:
            return event
        obj = event.payload.get("data", {}).get("object", {})
        transaction_id = mapping.object_id(obj.get("balance_transaction"))
        if not transaction_id or not self.credentials.get("secret_key"):
            return event
        try:
            with stripe_errors():
                found = self.client.v1.balance_transactions.retrieve(transaction_id).to_dict()
        except PaymentError as exc:
            logger.info("No fee for %s yet: %s", event.event_id, exc.message)
            return event
        return dataclasses.replace(event, fee=mapping.fee(found))

    # Helpers -------------------------------------------------------------------------------

    @staticmethod
    def _metadata(extra: Mapping[str, str], ours: Mapping[str, str]) -> dict[str, str]:
        # Ours last: a caller's metadata can never overwrite the ids webhooks are matched on.
        merged = {str(k)[:40]: str(v)[:METADATA_VALUE_MAX] for k, v in extra.items()}
        merged.update(ours)
        return merged

    @staticmethod
    def _clamp_expiry(requested: datetime) -> datetime:
        if requested.tzinfo is None:  # Django stores UTC; a naive value can only mean UTC here
            requested = requested.replace(tzinfo=UTC)
        now = datetime.now(tz=UTC)
        earliest = now + CHECKOUT_MIN_LIFETIME + EXPIRY_MARGIN
        latest = now + CHECKOUT_MAX_LIFETIME - EXPIRY_MARGIN
        return min(max(requested, earliest), latest)

    def _payment_intent_of(self, session_id: str) -> str | None:
        with stripe_errors():
            session = self.client.v1.checkout.sessions.retrieve(session_id)
        return mapping.object_id(session.to_dict().get("payment_intent"))

    def _refunds_of(self, payment_intent: str) -> tuple[RefundSnapshot, ...]:
        with stripe_errors():
            page = self.client.v1.refunds.list(
                {"payment_intent": payment_intent, "limit": 100, "expand": ["data.balance_transaction"]}
            )
            # auto_paging_iter follows has_more, so a payment with many refunds is read whole.
            return tuple(mapping.refund_snapshot(refund.to_dict()) for refund in page.auto_paging_iter())

