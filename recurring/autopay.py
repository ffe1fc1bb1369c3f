"""Autopay: charging a client's saved payment method for each invoice a template issues.

Enrollment: when the client pays an invoice of a template and agreed at checkout to save the
method, the gateway's snapshot of that payment names the saved method (its ids only); the
template keeps them and turns autopay on. Each later invoice gets an ``AutopayCharge``: the
first attempt runs right after it is issued, a decline is retried 1, 3 and 5 days later, and
then the client is emailed the payment link. ``authentication_required`` cannot succeed without
the client, so it falls back to the link at once. Each attempt is on the invoice's timeline.
The gateway is always called outside a transaction.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from activity.models import ActivityKind
from activity.services import record
from core.background import enqueue
from core.errors import NotFound
from invoices.models import Invoice
from payments.errors import PaymentError
from payments.services import checkout
from recurring.models import AutopayCharge, AutopayStatus, RecurringInvoice

logger = logging.getLogger(__name__)

# Days after the first attempt's failure before each retry; then the link is emailed.
RETRY_DAYS = (1, 3, 5)
# How long an attempt may be in flight before the sweep takes it again (same key: no second charge).
ATTEMPT_LEASE = timedelta(minutes=15)
DUE = (AutopayStatus.SCHEDULED, AutopayStatus.RETRYING, AutopayStatus.CHARGING)


def schedule_charge(*, template: RecurringInvoice, invoice: Invoice) -> AutopayCharge:
    """Create the invoice's charge (inside the issuing transaction) and run it after the commit."""
    from recurring.tasks import run_autopay_charge

    charge, _ = AutopayCharge.objects.get_or_create(
        invoice=invoice, defaults={"template": template, "next_attempt_at": timezone.now()}
    )
    enqueue(run_autopay_charge, str(charge.pk))
    return charge


def run_due_charges() -> int:
    """Run every charge whose attempt is due (the periodic sweep); returns how many ran."""
    due = AutopayCharge.objects.filter(status__in=DUE, next_attempt_at__lte=timezone.now()).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if run_charge(charge_id=pk) is not None)


def _claim(charge_id: UUID | str) -> tuple[AutopayCharge, RecurringInvoice] | None:
    """Take the charge's next attempt if it is due (row lock: one runner per attempt).

    The attempt is leased (``CHARGING`` until ``ATTEMPT_LEASE`` from now). An attempt whose lease
    ran out (its worker died between the claim and the result) is taken again as the same
    attempt: the same idempotency key, so the gateway answers the charge it may already have made.
    """
    with transaction.atomic():
        charge = AutopayCharge.objects.select_for_update().filter(pk=charge_id).first()
        if charge is None or charge.status not in DUE:
            return None
        if charge.next_attempt_at is None or charge.next_attempt_at > timezone.now():
            return None
        resumed = charge.status == AutopayStatus.CHARGING
        template = RecurringInvoice.objects.get(pk=charge.template_id)
        invoice = Invoice.objects.get(pk=charge.invoice_id)
        if not template.autopay or not template.autopay_method_id or not invoice.is_payable:
            paid = resumed and invoice.status == "paid"  # the lost attempt's charge was recorded meanwhile
            charge.status = AutopayStatus.SUCCEEDED if paid else AutopayStatus.SKIPPED
            charge.next_attempt_at = None
            charge.save(update_fields=["status", "next_attempt_at", "updated_at"])
            return None
        if not resumed:
            charge.attempts += 1
        charge.status = AutopayStatus.CHARGING
        charge.next_attempt_at = timezone.now() + ATTEMPT_LEASE  # a concurrent runner finds nothing due
        charge.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
        if resumed:
            return charge, template
        record(
            invoice.pk,
            ActivityKind.CHECKOUT_OPENED,
            actor="system",
            details={"autopay": True, "attempt": charge.attempts, "method": template.autopay_method_label},
        )
    return charge, template


def run_charge(*, charge_id: UUID | str) -> AutopayCharge | None:
    """Make the charge's due attempt; None when nothing was due."""
    claimed = _claim(charge_id)
    if claimed is None:
        return None
    charge, template = claimed
    try:
        payment, decline = checkout.charge_saved_method(
            invoice_id=charge.invoice_id,
            config_id=template.autopay_config_id,
            customer_id=template.autopay_customer_id,
            method_id=template.autopay_method_id,
            idempotency_key=f"trk-auto-{charge.pk.hex}-{charge.attempts}",
        )
        failed = payment.status == "failed"
        reason = payment.failure_message or ("The charge failed." if failed else "")
    except PaymentError as exc:
        failed, decline, reason = True, getattr(exc, "code", "gateway_error"), exc.message
    return _settle(charge, failed=failed, decline=decline, reason=reason)


def _settle(charge: AutopayCharge, *, failed: bool, decline: str, reason: str) -> AutopayCharge:
    with transaction.atomic():
        charge = AutopayCharge.objects.select_for_update().get(pk=charge.pk)
        charge.next_attempt_at = None
        if not failed:
            charge.status, charge.last_error = AutopayStatus.SUCCEEDED, ""
        elif decline != "authentication_required" and charge.attempts <= len(RETRY_DAYS):
            charge.status, charge.last_error = AutopayStatus.RETRYING, reason[:300]
            charge.next_attempt_at = timezone.now() + timedelta(days=RETRY_DAYS[charge.attempts - 1])
        else:
            charge.status, charge.last_error = AutopayStatus.GAVE_UP, reason[:300]
            _send_link(charge)
        charge.save(update_fields=["status", "last_error", "next_attempt_at", "updated_at"])
    return charge


def _send_link(charge: AutopayCharge) -> None:
    """Autopay could not collect: email the client the link to pay by hand (when they have an address)."""
    from notifications.services import email_invoice

    invoice = Invoice.objects.get(pk=charge.invoice_id)
    if invoice.client_email and invoice.is_payable and invoice.link_enabled:
        email_invoice(invoice=invoice, actor="system")
    else:
        logger.info("Autopay gave up on invoice %s and there is no address to send the link to", invoice.pk)


def enroll_from_payment(*, payment_id: UUID | str) -> RecurringInvoice | None:
    """After a template's invoice is paid: if the client saved the method, turn autopay on."""
    from payments.connections import gateway_for
    from payments.models import InvoicePayment

    payment = InvoicePayment.objects.select_related("invoice", "gateway_config").get(pk=payment_id)
    template_id = payment.invoice.recurring_invoice_id
    if template_id is None or not payment.gateway_session_id:
        return None
    gateway = gateway_for(payment.gateway_config)
    if not gateway.supports_saved_payment_methods:
        return None
    snapshot = gateway.retrieve_payment(
        session_id=payment.gateway_session_id, payment_reference=payment.gateway_payment_reference
    )
    saved = snapshot.saved_method
    if saved is None:
        return None
    with transaction.atomic():
        template = RecurringInvoice.objects.select_for_update().get(pk=template_id)
        template.autopay, template.autopay_config_id = True, payment.gateway_config_id
        template.autopay_customer_id, template.autopay_method_id = saved.customer_id, saved.method_id
        template.autopay_method_label = saved.label[:60]
        template.save()
    return template


def public_state(*, public_id: UUID) -> dict[str, bool]:
    """What the public page shows: a recurring invoice, autopay on, and whether it may be offered."""
    from payments.connections import gateway_for
    from payments.models import PaymentGatewayConfig

    invoice = Invoice.objects.select_related("recurring_invoice").filter(public_id=public_id).first()
    if invoice is None:
        raise NotFound()
    template = invoice.recurring_invoice
    if template is None:
        return {"recurring": False, "autopay": False, "autopay_available": False}
    config = (
        PaymentGatewayConfig.objects.filter(owner_id=invoice.owner_id, is_active=True, archived_at=None)
        .order_by("-is_default", "created_at")
        .first()
    )
    available = config is not None and gateway_for(config).supports_saved_payment_methods
    return {"recurring": True, "autopay": template.autopay, "autopay_available": available}


def disable_by_client(*, public_id: UUID) -> RecurringInvoice:
    """The client turns autopay off from an invoice's public page or email (keyed by its link)."""
    invoice = Invoice.objects.filter(public_id=public_id).first()
    if invoice is None or invoice.recurring_invoice_id is None:
        raise NotFound()
    with transaction.atomic():
        template = RecurringInvoice.objects.select_for_update().get(pk=invoice.recurring_invoice_id)
        template.autopay = False
        template.autopay_customer_id = template.autopay_method_id = template.autopay_method_label = ""
        template.autopay_config_id = None
        template.save()
        AutopayCharge.objects.filter(
            template=template, status__in=(AutopayStatus.SCHEDULED, AutopayStatus.RETRYING)
        ).update(status=AutopayStatus.SKIPPED, next_attempt_at=None)
    return template


def on_payment_changed(sender: Any, payment: Any, previous: str, **kwargs: Any) -> None:
    """Receiver: a payment of a template's invoice succeeded; check for a saved method after commit."""
    from recurring.tasks import enroll_autopay

    if (
        payment.status == "succeeded"
        and payment.invoice.recurring_invoice_id
        and not payment.idempotency_key.startswith("trk-auto-")
    ):
        enqueue(enroll_autopay, str(payment.pk))
