"""Opening a hosted checkout for an invoice, or handing back the open one for the same amount.

The gateway is called outside any transaction: the attempt (with its idempotency key) is
written first, the gateway is asked, then what it answered is written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from activity.models import ActivityKind
from activity.services import record
from core.errors import NotFound
from core.money import MoneyError, display_amount, format_amount, parse_amount
from invoices.errors import LinkRevoked
from invoices.links import check_link
from invoices.models import Invoice, InvoiceStatus, RetiredLink
from payments.connections import gateway_for
from payments.errors import (
    GatewayError,
    GatewayNotConfigured,
    InvalidAmount,
    InvoiceNotPayable,
    PaymentError,
    TooManyOpenCheckouts,
)
from payments.gateways.base import CheckoutRequest
from payments.models import InvoicePayment, PaymentGatewayConfig
from payments.state import PaymentStatus
from payments.transitions import lock_payment, save_fields

# An open checkout about to expire is not handed out again: the payer needs time to finish.
REUSE_MARGIN = timedelta(minutes=5)

_NOT_PAYABLE: dict[str, str] = {
    InvoiceStatus.DRAFT: "This invoice has not been sent yet.",
    InvoiceStatus.PAID: "This invoice is already paid.",
    InvoiceStatus.VOID: "This invoice has been voided.",
}


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    payment: InvoicePayment
    created: bool


def create_checkout(
    *,
    invoice_id: UUID | None = None,
    public_id: UUID | None = None,
    amount: Any = None,
    gateway_config_id: UUID | None = None,
    save_payment_method: bool = False,
) -> CheckoutResult:
    """Open a hosted checkout for an invoice, or hand back the open one for the same amount.

    The public endpoint names the invoice by ``public_id`` (the id in its payment link): a
    revoked, replaced or expired link is refused with 410 (``link_revoked``, ``link_expired``).
    ``invoice_id`` is for trusted callers (commands, tests) and skips the link check.
    ``save_payment_method``: the client asked for autopay; the gateway offers to save the method
    (only for an invoice a recurring template issued, on a gateway that supports it).
    """
    invoice, config, payment = _attempt(_invoice_filter(invoice_id, public_id), amount, gateway_config_id)
    if payment.checkout_url:
        return CheckoutResult(payment, created=False)
    try:
        session = gateway_for(config).create_checkout(_checkout_request(invoice, payment, save_payment_method))
    except GatewayError as exc:
        if not exc.outcome_unknown:
            _discard_attempt(payment)
        raise
    except PaymentError:
        _discard_attempt(payment)
        raise
    with transaction.atomic():
        payment = lock_payment(payment.pk)
        # Concurrent clicks may all reach the gateway (same idempotency key, same session):
        # only the one that records the session opened it (201); the others reuse it (200).
        created = not payment.checkout_url
        if created:
            save_fields(
                payment,
                gateway_session_id=session.session_id,
                checkout_url=session.checkout_url,
                gateway_payment_reference=session.payment_reference,
                expires_at=session.expires_at or payment.expires_at,
            )
            record(
                invoice.pk,
                ActivityKind.CHECKOUT_OPENED,
                actor="client",
                details={"amount": format_amount(payment.amount, payment.currency), "currency": payment.currency,
                         "gateway": payment.gateway_name},
            )
    return CheckoutResult(payment, created=created)


def _invoice_filter(invoice_id: UUID | None, public_id: UUID | None) -> dict[str, UUID]:
    if (invoice_id is None) == (public_id is None):
        raise TypeError("create_checkout takes exactly one of invoice_id and public_id")
    return {"pk": invoice_id} if invoice_id is not None else {"public_id": public_id}  # type: ignore[dict-item]


def _lock_invoice(which: dict[str, UUID]) -> Invoice:
    """The invoice, locked; through a public link only while that link works."""
    invoice = Invoice.objects.select_for_update().filter(**which).first()
    public_id = which.get("public_id")
    if invoice is None:
        if public_id is not None and RetiredLink.objects.filter(public_id=public_id).exists():
            raise LinkRevoked()
        raise NotFound()
    return invoice if public_id is None else check_link(invoice)


def _attempt(
    which: dict[str, UUID], amount: Any, config_id: UUID | None
) -> tuple[Invoice, PaymentGatewayConfig, InvoicePayment]:
    """The open checkout to hand back (it has a URL), or the attempt to open at the gateway."""
    with transaction.atomic():
        # The invoice lock makes concurrent clicks for one invoice take turns here.
        invoice = _lock_invoice(which)
        if not invoice.is_payable:
            raise InvoiceNotPayable(_NOT_PAYABLE.get(invoice.status, "This invoice has nothing left to pay."))
        value = _checkout_amount(invoice, amount)
        config = _config_for(invoice, config_id)
        now = timezone.now()
        payment = (
            InvoicePayment.objects.filter(
                invoice=invoice, gateway_config=config, amount=value, status=PaymentStatus.PENDING
            )
            .filter(Q(checkout_url="") | Q(expires_at__gt=now + REUSE_MARGIN))
            # One opened through a link since replaced returns to that link: never handed out again.
            .filter(created_at__gte=invoice.link_issued_at or datetime.min.replace(tzinfo=UTC))
            .order_by("-created_at")
            .first()
        )
        # A payment without a URL is an earlier attempt whose gateway call failed or is under
        # way: it is asked again with its idempotency key, so the gateway answers the same session.
        if payment is None:
            _check_open_checkouts(invoice, now)
            payment = InvoicePayment.objects.create(
                invoice=invoice,
                gateway_config=config,
                gateway_name=config.gateway_name,
                amount=value,
                currency=invoice.currency,
                idempotency_key=f"trk-pay-{uuid.uuid4().hex}",
                expires_at=now + timedelta(minutes=settings.CHECKOUT_EXPIRY_MINUTES),
            )
    return invoice, config, payment


def _check_open_checkouts(invoice: Invoice, now: datetime) -> None:
    """Refuse a new checkout past the cap: anyone with the link can ask for one, and each
    is a session at the gateway (and a row here) until it expires. The invoice is locked."""
    limit = settings.MAX_OPEN_CHECKOUTS_PER_INVOICE
    open_ = InvoicePayment.objects.filter(invoice=invoice, status=PaymentStatus.PENDING, expires_at__gt=now)
    if open_.count() < limit:
        return
    minutes = max(1, settings.CHECKOUT_EXPIRY_MINUTES)
    raise TooManyOpenCheckouts(
        f"This invoice already has {limit} checkouts open. Finish paying in one of them, or try "
        f"again when one expires (checkouts stay open up to {minutes} minutes).",
        details={"limit": limit},
    )


def _checkout_amount(invoice: Invoice, amount: Any) -> Decimal:
    # Money already on its way (a bank debit still processing) is not asked for twice.
    in_flight = InvoicePayment.objects.filter(invoice=invoice, status=PaymentStatus.PROCESSING).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")
    due = invoice.amount_due - in_flight
    if due <= 0:
        raise InvoiceNotPayable(
            f"A payment of {display_amount(in_flight, invoice.currency)} is being processed for this invoice."
        )
    if amount is None or amount == "":
        return due
    try:
        value = parse_amount(amount, invoice.currency)
    except MoneyError as exc:
        raise InvalidAmount(str(exc), details={"amount": [str(exc)]}) from None
    if value <= 0:
        raise InvalidAmount("The amount must be more than zero.", details={"amount": ["Must be positive."]})
    if value > due:
        message = f"The amount is more than the {display_amount(due, invoice.currency)} due."
        raise InvalidAmount(message, details={"amount": [message]})
    if value < due and not invoice.allow_partial_payments:
        message = "This invoice must be paid in full."
        raise InvalidAmount(message, details={"amount": [message]})
    return value


def _config_for(invoice: Invoice, config_id: UUID | None) -> PaymentGatewayConfig:
    configs = PaymentGatewayConfig.objects.filter(owner_id=invoice.owner_id, is_active=True, archived_at=None)
    if config_id is not None:
        config = configs.filter(pk=config_id).first()
    else:
        config = configs.order_by("-is_default", "created_at").first()
    if config is None:
        raise GatewayNotConfigured()
    return config


def _checkout_request(invoice: Invoice, payment: InvoicePayment, save_method: bool = False) -> CheckoutRequest:
    base = f"{settings.PUBLIC_BASE_URL}/pay/{invoice.public_id}"
    return CheckoutRequest(
        payment_id=str(payment.pk),
        invoice_id=str(invoice.pk),
        invoice_number=invoice.number,
        description=f"Invoice {invoice.number}",
        amount=payment.amount,
        currency=payment.currency,
        customer_email=invoice.client_email or None,
        success_url=f"{base}/return?payment={payment.pk}",
        # No "canceled" flag: the payer may be back after a decline, an expiry or a change of
        # mind; the payment page asks the payment's status which one it was.
        cancel_url=f"{base}?payment={payment.pk}",
        expires_at=payment.expires_at or timezone.now() + timedelta(minutes=settings.CHECKOUT_EXPIRY_MINUTES),
        idempotency_key=payment.idempotency_key,
        metadata={"invoice_number": invoice.number},
        save_payment_method=save_method and invoice.recurring_invoice_id is not None,
    )


def _discard_attempt(payment: InvoicePayment) -> None:
    """The gateway refused outright: nothing was opened, so nothing is kept."""
    InvoicePayment.objects.filter(pk=payment.pk, checkout_url="", status=PaymentStatus.PENDING).delete()


def close_open_checkouts(invoice_id: UUID) -> int:
    """Close the invoice's checkouts that are still pending (the invoice was voided), at their
    gateway where it can expire them (``payments.services.closing``); returns how many."""
    from payments.services.closing import close_checkouts

    return close_checkouts(invoice_id, reason="voided").closed


def charge_saved_method(
    *, invoice_id: UUID, config_id: UUID, customer_id: str, method_id: str, idempotency_key: str
) -> tuple[InvoicePayment, str]:
    """Charge what the invoice owes to a method the client saved (autopay), payer absent.

    The attempt is stored with ``idempotency_key`` before the gateway call (the same key always
    answers the same charge, so a retried task never charges twice); the gateway's answer is
    applied as a snapshot. Returns the payment and the decline code ("" unless it failed).
    """
    from payments.gateways.base import SavedMethodCharge
    from payments.services.status_sync import apply_snapshot

    with transaction.atomic():
        invoice = _lock_invoice({"pk": invoice_id})
        payment = InvoicePayment.objects.filter(idempotency_key=idempotency_key).first()
        if payment is None:
            if not invoice.is_payable:
                raise InvoiceNotPayable(_NOT_PAYABLE.get(invoice.status, "This invoice has nothing left to pay."))
            config = _config_for(invoice, config_id)
            payment = InvoicePayment.objects.create(
                invoice=invoice, gateway_config=config, gateway_name=config.gateway_name,
                amount=_checkout_amount(invoice, None), currency=invoice.currency,
                idempotency_key=idempotency_key, expires_at=timezone.now() + timedelta(days=1),
            )
    gateway = gateway_for(payment.gateway_config)
    if not gateway.supports_saved_payment_methods:
        raise GatewayNotConfigured("This gateway cannot charge a saved payment method.")
    snapshot = gateway.charge_saved_method(SavedMethodCharge(
        payment_id=str(payment.pk), invoice_id=str(invoice.pk), invoice_number=invoice.number,
        description=f"Invoice {invoice.number}", amount=payment.amount, currency=payment.currency,
        customer_id=customer_id, method_id=method_id, idempotency_key=idempotency_key,
        metadata={"invoice_number": invoice.number, "autopay": "true"},
    ))
    with transaction.atomic():
        locked = lock_payment(payment.pk)
        if not locked.gateway_session_id:
            save_fields(locked, gateway_session_id=snapshot.session_id)
    return apply_snapshot(payment_id=payment.pk, snapshot=snapshot), snapshot.decline_code
