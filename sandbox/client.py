"""The sandbox's API as its adapter sees it: the one door into the sandbox provider.

It plays the part ``stripe.StripeClient`` plays for the Stripe adapter: one client per account
(a gateway configuration), calls that take plain values and answer plain dicts shaped like a
remote API's JSON (amounts as decimal strings, times as ISO 8601), and one error type for a
refused call. The adapter never sees the provider's records or its database; the provider's
state stays behind this module, as Stripe's stays behind its HTTP API.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings

from sandbox import provider

if TYPE_CHECKING:
    from sandbox.models import SandboxSession

# The header the sandbox signs its webhooks in (``t=<unix time>,v1=<hex HMAC-SHA256>``).
SIGNATURE_HEADER = provider.SIGNATURE_HEADER


class SandboxError(Exception):
    """The sandbox refused a call (a remote API's 4xx): no such object, or not allowed."""


class SandboxClient:
    """Calls to the sandbox on behalf of one account (a gateway configuration)."""

    def __init__(self, *, account: str, webhook_secret: str = "") -> None:
        self.account = account
        self.webhook_secret = webhook_secret

    def create_session(
        self,
        *,
        idempotency_key: str,
        amount: Decimal,
        currency: str,
        description: str,
        customer_email: str,
        success_url: str,
        cancel_url: str,
        metadata: dict[str, Any],
        expires_at: datetime,
    ) -> dict[str, Any]:
        """Open a hosted checkout; the same idempotency key always answers the same session."""
        session = provider.create_session(
            config_id=self.account,
            idempotency_key=idempotency_key,
            amount=amount,
            currency=currency,
            description=description,
            customer_email=customer_email,
            success_url=success_url,
            cancel_url=cancel_url,
            metadata=metadata,
            webhook_secret=self.webhook_secret,
            expires_at=expires_at,
        )
        return _session(session)

    def retrieve_session(self, session_id: str) -> dict[str, Any]:
        """A checkout as it is now (time passes first: it may have expired or settled)."""
        try:
            return _session(provider.get_session(session_id))
        except provider.SessionNotFound:
            raise SandboxError(f"No such checkout: {session_id}") from None

    def expire_session(self, session_id: str) -> dict[str, Any]:
        """Expire an open checkout so it can no longer be paid; answer it as it is after (one
        completed or expired already is answered unchanged)."""
        try:
            return _session(provider.expire_session(session_id))
        except provider.SessionNotFound:
            raise SandboxError(f"No such checkout: {session_id}") from None

    def refund(
        self, *, session_id: str, amount: Decimal, idempotency_key: str, metadata: dict[str, Any]
    ) -> dict[str, Any]:
        """Refund part of a paid checkout; the same idempotency key answers the same refund."""
        try:
            record = provider.refund(
                session_id=session_id, amount=amount, idempotency_key=idempotency_key, metadata=metadata
            )
        except (provider.SessionNotFound, ValueError) as exc:
            raise SandboxError(str(exc)) from None
        return _public_refund(record)

    def retrieve_refund(self, refund_id: str) -> dict[str, Any]:
        """One of this account's refunds."""
        record = provider.find_refund(config_id=self.account, refund_id=refund_id)
        if record is None:
            raise SandboxError(f"No such refund: {refund_id}")
        return _public_refund(record)

    def charge_saved_method(
        self,
        *,
        idempotency_key: str,
        amount: Decimal,
        currency: str,
        description: str,
        customer_id: str,
        method_id: str,
        metadata: dict[str, Any],
    ) -> dict[str, Any]:
        """Charge a method saved at checkout, payer absent; the same key answers the same charge."""
        from sandbox import saved_methods

        try:
            session = saved_methods.charge(
                config_id=self.account, idempotency_key=idempotency_key, amount=amount, currency=currency,
                description=description, customer_id=customer_id, method_id=method_id, metadata=metadata,
                webhook_secret=self.webhook_secret,
            )
        except ValueError as exc:
            raise SandboxError(str(exc)) from None
        return _session(session)


def checkout_url(session_id: str) -> str:
    """Where the payer completes a checkout: the sandbox's hosted page."""
    return f"{settings.PUBLIC_BASE_URL}/sandbox/checkout/{session_id}"


def _session(session: SandboxSession) -> dict[str, Any]:
    return {
        **provider.session_object(session),
        "url": checkout_url(session.id),
        "expires_at": session.expires_at.isoformat(),
    }


def _public_refund(record: dict[str, Any]) -> dict[str, Any]:
    # The idempotency key is the provider's bookkeeping, not part of what its API answers.
    return {key: value for key, value in record.items() if key != "idempotency_key"}
