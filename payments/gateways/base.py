"""The contract between Trackify and a payment gateway.

A gateway is a pure adapter: it turns these frozen dataclasses into calls to the provider's API
and the provider's webhook payloads into these dataclasses. It never touches the ORM, invoices
or views; ``PaymentService`` does all persistence. Amounts cross this boundary as ``Decimal``
major units with an ISO currency code; conversion to minor units is the adapter's business.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True, kw_only=True)
class CredentialField:
    """One credential a user enters to connect the gateway (shown by ``/gateway-types/``)."""

    name: str
    label: str
    secret: bool = True
    required: bool = True
    help_text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckoutRequest:
    """Everything a gateway needs to open a hosted checkout for one payment."""

    payment_id: str
    invoice_id: str
    invoice_number: str
    description: str
    amount: Decimal
    currency: str
    customer_email: str | None
    success_url: str
    cancel_url: str
    expires_at: datetime
    # Sent with the provider call and stored before it, so a retry can never open a second checkout.
    idempotency_key: str
    metadata: Mapping[str, str] = field(default_factory=dict)
    # Offer to save the payer's method for off-session charges (others ignore it).
    save_payment_method: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedMethod:
    """A method the gateway keeps for off-session charges: ids only; ``label`` ("visa 4242") for display."""

    customer_id: str
    method_id: str
    label: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedMethodCharge:
    """An off-session charge of a saved method; the same ``idempotency_key`` answers the same charge."""

    payment_id: str
    invoice_id: str
    invoice_number: str
    description: str
    amount: Decimal
    currency: str
    customer_id: str
    method_id: str
    idempotency_key: str
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckoutSession:
    """A hosted checkout the gateway opened."""

    session_id: str
    checkout_url: str
    expires_at: datetime | None = None
    # The provider's id of the money movement (Stripe's PaymentIntent), when already known.
    payment_reference: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Fee:
    """What the gateway took for a payment or a refund, as it reported it (Stripe's balance
    transaction, PayPal's seller receivable breakdown, Razorpay's fee field).

    ``net`` is what the money movement did to the owner's balance after the fee (negative for a
    refund). ``currency`` is the currency of ``fee`` and ``net``: the owner's settlement
    currency, which may differ from the payment's.
    """

    fee: Decimal
    net: Decimal
    currency: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DisputeSnapshot:
    """What the gateway says one dispute (chargeback) of a payment is now.

    ``status`` is one of ``needs_response``, ``under_review``, ``won``, ``lost``,
    ``warning_closed`` (``payments.models.DisputeStatus``).
    """

    dispute_id: str
    amount: Decimal
    currency: str
    status: str
    reason: str = ""
    evidence_due_by: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookEndpoint:
    """A webhook endpoint a gateway created at the provider for one config (managed mode).

    ``credentials`` are values to store with the config's encrypted credentials so that its
    webhooks can be verified later: Stripe's signing secret (``webhook_secret``), PayPal's
    webhook id. They are never shown.
    """

    endpoint_id: str
    credentials: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class RefundRequest:
    refund_id: str  # our PaymentRefund id, sent as metadata so webhooks can be matched
    payment_id: str
    session_id: str
    payment_reference: str | None
    amount: Decimal
    currency: str
    reason: str
    idempotency_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RefundSnapshot:
    """What the gateway says one refund is now.

    ``status`` is one of ``pending``, ``succeeded``, ``failed``, ``canceled``.
    ``our_refund_id`` is our PaymentRefund id when the refund was made through Trackify (from
    metadata); ``None`` for a refund made elsewhere, e.g. in the provider's dashboard.
    """

    refund_id: str
    amount: Decimal
    currency: str
    status: str
    our_refund_id: str | None = None
    reason: str = ""
    failure_reason: str = ""
    fee: Fee | None = None


RefundResult = RefundSnapshot
"""The answer to a refund call is a snapshot of the new refund."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentSnapshot:
    """What the gateway says a payment is now (for reconciliation and status reads).

    ``status`` uses Trackify's payment statuses: ``pending``, ``processing``, ``succeeded``,
    ``failed``, ``expired``, ``canceled``. Refunds are reported separately in ``refunds``.
    """

    session_id: str
    status: str
    amount: Decimal | None = None
    currency: str | None = None
    payment_reference: str | None = None
    failure_message: str = ""
    refunds: tuple[RefundSnapshot, ...] = ()
    fee: Fee | None = None
    disputes: tuple[DisputeSnapshot, ...] = ()
    # The payer approved the payment and it waits for ``capture_payment`` (``requires_capture``
    # gateways only); ``status`` stays ``pending`` until the capture is made.
    needs_capture: bool = False
    # The method saved at checkout (``save_payment_method``); why an off-session charge failed
    # (``decline_code``: ``card_declined`` or ``authentication_required``).
    saved_method: SavedMethod | None = None
    decline_code: str = ""


class EventKind(enum.StrEnum):
    """What a webhook means for Trackify, whatever the gateway called it."""

    # The payer approved the payment at the gateway; the gateway must be asked to capture it
    # (``capture_payment``) before money moves (PayPal's CHECKOUT.ORDER.APPROVED).
    PAYMENT_APPROVED = "payment_approved"
    PAYMENT_PROCESSING = "payment_processing"  # paid, but the money is not confirmed yet
    PAYMENT_SUCCEEDED = "payment_succeeded"
    PAYMENT_FAILED = "payment_failed"
    PAYMENT_EXPIRED = "payment_expired"
    PAYMENT_CANCELED = "payment_canceled"
    REFUNDS_UPDATED = "refunds_updated"  # one or more refunds created or changed
    DISPUTES_UPDATED = "disputes_updated"  # a dispute (chargeback) opened, changed or closed
    IGNORED = "ignored"  # a verified event Trackify does not act on


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayEvent:
    """A verified webhook, normalized.

    ``payment_id`` is our InvoicePayment id when the provider echoes it back (metadata or
    client reference); otherwise the payment is found by ``session_id`` or ``payment_reference``.
    ``amount``/``currency`` are what the provider says was paid, checked against the payment
    before anything is applied.
    """

    event_id: str
    event_type: str
    kind: EventKind
    payload: Mapping[str, Any]
    payment_id: str | None = None
    session_id: str | None = None
    payment_reference: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    refunds: tuple[RefundSnapshot, ...] = ()
    failure_message: str = ""
    occurred_at: datetime | None = None
    # The fee of the payment, when the event reports it (else it is fetched later or never).
    fee: Fee | None = None
    disputes: tuple[DisputeSnapshot, ...] = ()


class PaymentGatewayBase(ABC):
    """A payment gateway plugin.

    Subclasses set ``name`` (the URL and storage key, e.g. ``"stripe"``), ``display_name`` and
    ``credential_fields``, register with ``@registry.register``, and implement the abstract
    methods. One instance serves one gateway configuration (one user's credentials).
    """

    name: ClassVar[str]
    display_name: ClassVar[str]
    credential_fields: ClassVar[tuple[CredentialField, ...]] = ()
    # The header carrying the webhook signature; only used to explain a missing one.
    signature_header: ClassVar[str] = ""
    # Whether the user must register the config's webhook URL at the provider; a gateway that
    # delivers its own webhooks (the sandbox) sets False, and the settings page hides the URL.
    needs_webhook_setup: ClassVar[bool] = True
    # Optional capabilities; each comes with the methods named below, which raise
    # ``NotImplementedError`` by default.
    # Creates and deletes its webhook endpoint at the provider for the user
    # (``create_webhook_endpoint``, ``delete_webhook_endpoint``).
    supports_managed_webhooks: ClassVar[bool] = False
    # Payments need a capture after the payer approves them (``capture_payment``).
    requires_capture: ClassVar[bool] = False
    # Autopay: saves the payer's method at checkout when asked (``PaymentSnapshot.saved_method``)
    # and charges it later off-session (``charge_saved_method``).
    supports_saved_payment_methods: ClassVar[bool] = False
    supports_checkout_expiry: ClassVar[bool] = False  # closes an open checkout: ``expire_checkout``

    def __init__(self, *, credentials: Mapping[str, str], mode: str = "test", config_id: str | None = None) -> None:
        self.credentials = dict(credentials)
        self.mode = mode
        self.config_id = config_id

    def __repr__(self) -> str:  # never show credentials
        return f"<{type(self).__name__} config={self.config_id} mode={self.mode}>"

    # Configuration -------------------------------------------------------------------------

    @classmethod
    def validate_credentials(cls, credentials: Mapping[str, Any], *, mode: str) -> dict[str, str]:
        """Check the shape of credentials a user entered and return what to store.

        Raise ``GatewayCredentialsInvalid`` with per-field messages in ``details``. A gateway
        may add generated values (the sandbox adds its own signing secret). The default keeps
        the declared fields and requires the required ones.
        """
        from payments.errors import GatewayCredentialsInvalid

        cleaned, problems = check_declared_fields(cls.credential_fields, credentials)
        if problems:
            raise GatewayCredentialsInvalid("Some credentials are missing or malformed.", details=problems)
        return cleaned

    @classmethod
    def credentials_preview(cls, credentials: Mapping[str, str]) -> dict[str, str]:
        """A masked view of stored credentials, safe to show: ``sk_test_...4242``."""
        preview: dict[str, str] = {}
        for spec in cls.credential_fields:
            value = credentials.get(spec.name)
            if not value:
                continue
            preview[spec.name] = mask_secret(value) if spec.secret else value
        return preview

    @classmethod
    def platform_webhook_secrets(cls) -> Sequence[str]:
        """Secrets for the gateway-wide webhook URL (no config id), from settings. None by default."""
        return ()

    def webhook_secrets(self) -> Sequence[str]:
        """Secrets this config's webhook URL accepts (several during a rotation)."""
        secret = self.credentials.get("webhook_secret", "")
        return [part.strip() for part in secret.split(",") if part.strip()]

    # Calls to the provider -----------------------------------------------------------------

    @abstractmethod
    def verify_credentials(self) -> dict[str, Any]:
        """Make one cheap authenticated call; return safe facts (account id, mode) or raise
        ``GatewayCredentialsInvalid`` / ``GatewayError``."""

    @abstractmethod
    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Open a hosted checkout. Raise ``InvalidAmount`` before any call for an amount the
        provider cannot take, ``GatewayError`` when the provider fails."""

    @abstractmethod
    def retrieve_payment(self, *, session_id: str, payment_reference: str | None = None) -> PaymentSnapshot:
        """Ask the provider what a checkout's payment is now, refunds included."""

    @abstractmethod
    def refund(self, request: RefundRequest) -> RefundResult:
        """Refund part or all of a captured payment."""

    @abstractmethod
    def retrieve_refund(self, *, refund_id: str) -> RefundSnapshot:
        """Ask the provider what one refund is now."""

    # Optional capabilities ------------------------------------------------------------------

    def create_webhook_endpoint(self, *, url: str) -> WebhookEndpoint:
        """Create a webhook endpoint at the provider for ``url`` with the events this gateway
        handles (``supports_managed_webhooks``). Raise ``GatewayError`` when the provider fails."""
        raise NotImplementedError

    def delete_webhook_endpoint(self, *, endpoint_id: str) -> None:
        """Delete an endpoint ``create_webhook_endpoint`` made; one already gone is not an error."""
        raise NotImplementedError

    def capture_payment(
        self, *, session_id: str, payment_reference: str | None, idempotency_key: str
    ) -> PaymentSnapshot:
        """Capture a payment the payer approved (``requires_capture``), once: a second call with
        the same key returns the same capture. Return the payment as it is after the capture."""
        raise NotImplementedError

    def charge_saved_method(self, request: SavedMethodCharge) -> PaymentSnapshot:
        """Charge a saved method with the payer absent (``supports_saved_payment_methods``):
        the new charge as a snapshot (its ``session_id``), ``succeeded``/``processing``, or
        ``failed`` with ``decline_code`` and ``failure_message``; ``GatewayError`` if unreachable."""
        raise NotImplementedError

    def expire_checkout(self, *, session_id: str) -> PaymentSnapshot:
        """Expire an open hosted checkout and return the payment as it is after: one paid meanwhile
        comes back ``succeeded``/``processing``, not an error. ``GatewayError`` if unreachable."""
        raise NotImplementedError

    # Webhooks ------------------------------------------------------------------------------

    @abstractmethod
    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str], secrets: Sequence[str]) -> GatewayEvent:
        """Verify the signature of a webhook against any of ``secrets`` and normalize it.

        Raise ``WebhookSignatureInvalid`` (bad or missing signature, outside the tolerance) or
        ``WebhookPayloadInvalid`` (not a well-formed event) before returning anything.
        Headers are given with lower-case names.
        """


def check_declared_fields(
    fields: Sequence[CredentialField], credentials: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Keep the declared fields, stripped; list the required ones missing and non-strings."""
    cleaned: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    for spec in fields:
        value = credentials.get(spec.name)
        if value in (None, ""):
            if spec.required:
                problems[spec.name] = ["This field is required."]
            continue
        if not isinstance(value, str):
            problems[spec.name] = ["Must be a string."]
            continue
        cleaned[spec.name] = value.strip()
    return cleaned, problems


def mask_secret(value: str) -> str:
    """Keep a recognizable prefix and the last four characters: ``sk_test_...4242``."""
    if len(value) <= 8:
        return "..." if value else ""
    prefix_end = value.rfind("_", 0, 12)
    prefix = value[: prefix_end + 1] if prefix_end > 0 else ""
    return f"{prefix}...{value[-4:]}"
