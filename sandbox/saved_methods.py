"""The sandbox provider's saved payment methods and off-session charges (autopay).

A checkout opened with ``save_payment_method`` shows a "save for autopay" box; when the payer
ticks it and pays, the session keeps a saved method (its ids only). The payer also picks how
later charges of that method behave, so tests and demos can rehearse every path:
``succeed``, ``decline`` (always), ``decline_once`` (the first charge fails, later ones pass)
and ``authenticate`` (each charge needs the payer present: ``authentication_required``).
An off-session charge is a session of its own, complete at once, paid or failed.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sandbox.models import SandboxSession

BEHAVIOURS = ("succeed", "decline", "decline_once", "authenticate")
_DECLINES = {
    "card_declined": "The card was declined.",
    "authentication_required": "The bank asks the cardholder to authenticate this payment.",
}


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def save_method(session: SandboxSession, behaviour: str) -> None:
    """Keep the payer's method on a paid session that offered saving it."""
    if session.metadata.get("save_payment_method") != "true" or behaviour not in BEHAVIOURS:
        return
    digest = _digest(session.pk)
    session.metadata = {
        **session.metadata,
        "saved_method": {
            "customer_id": f"cus_sbx_{digest}",
            "method_id": f"pm_sbx_{behaviour}_{digest}",
            "label": "sandbox card 4242",
        },
    }
    SandboxSession.objects.filter(pk=session.pk).update(metadata=session.metadata)


def _decline_code(method_id: str) -> str:
    if method_id.startswith("pm_sbx_decline_once_"):
        failed_before = SandboxSession.objects.filter(metadata__method_id=method_id, payment_status="failed").exists()
        return "" if failed_before else "card_declined"
    if method_id.startswith("pm_sbx_decline_"):
        return "card_declined"
    if method_id.startswith("pm_sbx_authenticate_"):
        return "authentication_required"
    return ""


def charge(
    *,
    config_id: str,
    idempotency_key: str,
    amount: Decimal,
    currency: str,
    description: str,
    customer_id: str,
    method_id: str,
    metadata: dict[str, Any],
    webhook_secret: str,
) -> SandboxSession:
    """Charge a saved method off-session; the same idempotency key answers the same charge."""
    existing = SandboxSession.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if not method_id.startswith("pm_sbx_") or not customer_id.startswith("cus_sbx_"):
        raise ValueError("No such saved payment method.")
    code = _decline_code(method_id)
    digest = _digest(idempotency_key)
    now = timezone.now()
    try:
        with transaction.atomic():
            return SandboxSession.objects.create(
                id=f"ch_sbx_{digest}",
                config_id=config_id,
                idempotency_key=idempotency_key,
                amount=amount,
                currency=currency,
                description=description,
                success_url=settings.PUBLIC_BASE_URL,
                cancel_url=settings.PUBLIC_BASE_URL,
                metadata={
                    **metadata,
                    "customer_id": customer_id,
                    "method_id": method_id,
                    "decline_code": code,
                    "failure_message": _DECLINES.get(code, ""),
                },
                webhook_secret=webhook_secret,
                status="complete",
                payment_status="failed" if code else "paid",
                outcome="off_session",
                payment_reference=f"pi_sbx_{digest}",
                expires_at=now + timedelta(days=1),
            )
    except IntegrityError:  # a concurrent call with the same key won
        return SandboxSession.objects.get(idempotency_key=idempotency_key)
