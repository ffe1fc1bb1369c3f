"""The sandbox payment provider: an offline stand-in for a hosted-checkout service.

It keeps its own records (``SandboxSession``), answers the calls that reach it through
``sandbox.client`` the way a provider's API would, and builds and signs the webhooks its
checkout page delivers (``sandbox.delivery``). Nothing in Trackify's payment bookkeeping reads
its records, and it imports nothing of Trackify's payments.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.money import quantize
from sandbox.models import SandboxSession

SIGNATURE_HEADER = "Sandbox-Signature"
OUTCOMES = ("pay", "decline", "pay_later_success", "pay_later_failure")
# The sandbox's test fee, shaped like a card processor's: 2.9% of a paid amount plus 0.30 in the
# payment's own currency, rounded to the currency's places (0.30 JPY rounds to nothing: 2.9% there),
# never more than the amount. A refund's fee is zero (the fee is not given back), its net the
# refunded amount, negative. Reported the way a provider's balance transaction is: fee, net, currency.
FEE_RATE = Decimal("0.029")
FEE_FIXED = Decimal("0.30")


def payment_fee(amount: Decimal, currency: str) -> dict[str, str]:
    """The fee and net the sandbox reports for a paid amount."""
    gross = quantize(Decimal(amount), currency)
    fee = min(quantize(gross * FEE_RATE + FEE_FIXED, currency), gross)
    return {"fee": str(fee), "net": str(gross - fee), "currency": currency}


def refund_fee(amount: Decimal, currency: str) -> dict[str, str]:
    gross = quantize(Decimal(amount), currency)
    return {"fee": str(quantize(Decimal(0), currency)), "net": str(-gross), "currency": currency}


class SessionNotFound(Exception):
    pass


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def create_session(
    *,
    config_id: str,
    idempotency_key: str,
    amount: Decimal,
    currency: str,
    description: str,
    customer_email: str,
    success_url: str,
    cancel_url: str,
    metadata: dict[str, str],
    webhook_secret: str,
    expires_at: datetime,
) -> SandboxSession:
    """Open a checkout; the same idempotency key always answers the same session."""
    existing = SandboxSession.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    digest = _digest(idempotency_key)
    try:
        with transaction.atomic():
            return SandboxSession.objects.create(
                id=f"cs_sbx_{digest}",
                config_id=config_id,
                idempotency_key=idempotency_key,
                amount=amount,
                currency=currency,
                description=description,
                customer_email=customer_email or "",
                success_url=success_url,
                cancel_url=cancel_url,
                metadata=dict(metadata),
                webhook_secret=webhook_secret,
                payment_reference=f"pi_sbx_{digest}",
                expires_at=expires_at,
            )
    except IntegrityError:  # a concurrent call with the same key won
        return SandboxSession.objects.get(idempotency_key=idempotency_key)


def get_session(session_id: str) -> SandboxSession:
    session = SandboxSession.objects.filter(pk=session_id).first()
    if session is None:
        raise SessionNotFound(session_id)
    _advance(session)
    return session


def expire_session(session_id: str) -> SandboxSession:
    """Expire an open checkout now, as a provider's "expire" call does: its page answers 410
    from then on. A checkout already completed (the payer was quicker) or expired is answered
    as it is; the one conditional update decides which of the payer and the expiry came first."""
    session = get_session(session_id)
    SandboxSession.objects.filter(pk=session.pk, status="open").update(status="expired")
    session.refresh_from_db()
    return session


def _advance(session: SandboxSession) -> None:
    """Let time pass: an open session expires, a "pay later" settles when its time comes."""
    now = timezone.now()
    if session.status == "open" and session.expires_at <= now:
        SandboxSession.objects.filter(pk=session.pk, status="open").update(status="expired")
        session.status = "expired"
    if session.payment_status == "processing" and session.settle_at and session.settle_at <= now:
        settled = "paid" if session.outcome == "pay_later_success" else "failed"
        SandboxSession.objects.filter(pk=session.pk, payment_status="processing").update(payment_status=settled)
        session.payment_status = settled


def complete(session: SandboxSession, outcome: str) -> list[dict[str, Any]]:
    """Record the payer's choice; return the events the provider sends about it."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    now = timezone.now()
    if outcome == "pay":
        payment_status, status, settle_at = "paid", "complete", None
    elif outcome == "decline":
        payment_status, status, settle_at = "failed", "open", None
    else:
        payment_status, status = "processing", "complete"
        settle_at = now + timedelta(seconds=settings.SANDBOX_ASYNC_SETTLE_SECONDS)
    updated = SandboxSession.objects.filter(pk=session.pk, status="open", expires_at__gt=now).exclude(
        payment_status="failed"
    ).update(status=status, payment_status=payment_status, outcome=outcome, settle_at=settle_at)
    if not updated:
        raise SessionNotFound(session.pk)
    session.refresh_from_db()
    if outcome == "decline":
        # A declined card closes this checkout, as a provider's failed payment does.
        SandboxSession.objects.filter(pk=session.pk).update(status="expired")
        return [event("checkout.payment_failed", session, failure_message="The card was declined.")]
    return [event("checkout.completed", session)]


def refund(*, session_id: str, amount: Decimal, idempotency_key: str, metadata: dict[str, str]) -> dict[str, Any]:
    """Refund part of a paid session; the same idempotency key answers the same refund."""
    with transaction.atomic():
        session = SandboxSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None:
            raise SessionNotFound(session_id)
        for existing in session.refunds:
            if existing["idempotency_key"] == idempotency_key:
                return dict(existing)
        if session.payment_status != "paid":
            raise ValueError("Only a paid checkout can be refunded.")
        refunded = sum((Decimal(r["amount"]) for r in session.refunds if r["status"] == "succeeded"), Decimal(0))
        if refunded + amount > session.amount:
            raise ValueError("The refund exceeds what is left of the payment.")
        record = {
            "id": f"re_sbx_{_digest(idempotency_key)}",
            "amount": str(amount),
            "currency": session.currency,
            "status": "succeeded",
            "metadata": dict(metadata),
            "idempotency_key": idempotency_key,
            "fee": refund_fee(amount, session.currency),
        }
        session.refunds = [*session.refunds, record]
        session.save(update_fields=["refunds"])
        return record


def find_refund(*, config_id: str, refund_id: str) -> dict[str, Any] | None:
    for session in SandboxSession.objects.filter(config_id=config_id).exclude(refunds=[]):
        for record in session.refunds:
            if record["id"] == refund_id:
                return dict(record)
    return None


def session_object(session: SandboxSession) -> dict[str, Any]:
    return {
        "id": session.id,
        "object": "sandbox.checkout_session",
        "status": session.status,
        "payment_status": session.payment_status,
        "amount": str(session.amount),
        "currency": session.currency,
        "payment_reference": session.payment_reference,
        "metadata": session.metadata,
        "refunds": [{k: v for k, v in r.items() if k != "idempotency_key"} for r in session.refunds],
        "fee": payment_fee(session.amount, session.currency) if session.payment_status == "paid" else None,
    }


def event(event_type: str, session: SandboxSession, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"evt_sbx_{secrets.token_hex(12)}",
        "type": event_type,
        "created": int(time.time()),
        "data": {"object": {**session_object(session), **extra}},
    }


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The sandbox's signature header: ``t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()
