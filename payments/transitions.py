"""The one place that changes a payment's status, its refunds, and the invoice's totals.

Every function here runs inside the caller's ``transaction.atomic`` block on a payment row the
caller locked with ``lock_payment``. Locks are always taken payment first, invoice second, so
concurrent webhooks, refunds and checkouts cannot deadlock each other.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from core.money import display_amount
from core.prepared import Marker, PreparedQuery
from invoices.models import Invoice
from invoices.services import apply_payment_totals
from payments import state
from payments.gateways.base import DisputeSnapshot, Fee, RefundSnapshot
from payments.models import DisputeStatus, InvoiceEffect, InvoicePayment, PaymentDispute, PaymentRefund, RefundSource
from payments.signals import dispute_changed, payment_status_changed, refund_status_changed

logger = logging.getLogger(__name__)


def lock_payment(payment_id: UUID | str) -> InvoicePayment:
    """The payment row, locked until the end of the caller's transaction."""
    return InvoicePayment.objects.select_for_update().get(pk=payment_id)


def move_to(payment: InvoicePayment, target: str, **fields: object) -> bool:
    """Move a locked payment to ``target`` if the state machine allows it.

    A move the state machine forbids (a late ``expired`` after ``succeeded``, say) is a no-op
    that returns False: events arrive in any order and the furthest state wins. Extra
    ``fields`` are saved with it.
    """
    current = payment.status
    moved_to = state.next_status(current, target, amount=payment.amount, amount_refunded=payment.amount_refunded)
    if moved_to is None:
        logger.info("Payment %s stays %s (ignored a move to %s)", payment.pk, current, target)
        return False
    target = moved_to
    changed = ["updated_at"]
    for name, value in fields.items():
        setattr(payment, name, value)
        changed.append(name)
    if target != current:
        payment.status = target
        changed.append("status")
        if target in state.SETTLED and payment.succeeded_at is None:
            payment.succeeded_at = timezone.now()
            changed.append("succeeded_at")
    payment.save(update_fields=sorted(set(changed)))
    if target != current:
        logger.info("Payment %s: %s -> %s", payment.pk, current, target)
        # The invoice just locked and written, with its owner: the receivers read both from here.
        payment.invoice = recompute_invoice(payment.invoice_id)
        payment_status_changed.send(sender=InvoicePayment, payment=payment, previous=current)
    return True


def save_fields(payment: InvoicePayment, **fields: object) -> None:
    """Save fields of a locked payment that are not its status (the status changes only in ``move_to``)."""
    if "status" in fields:
        raise ValueError("A payment's status changes only through move_to.")
    for name, value in fields.items():
        setattr(payment, name, value)
    payment.save(update_fields=sorted({*fields, "updated_at"}))


def fee_fields(fee: Fee | None) -> dict[str, object]:
    """The fields that record a fee the gateway reported (none when it reported none)."""
    if fee is None:
        return {}
    return {"fee": fee.fee, "net": fee.net, "fee_currency": fee.currency.upper()[:3]}


def flag(payment: InvoicePayment, reason: str) -> None:
    """Hold a payment for review: the one writer of ``flagged_reason``.

    ``reason`` is one plain sentence a person reads in the admin, naming both amounts with
    their currencies (``display_amount``), e.g. "Event amount 1.00 USD does not match the
    payment's 100.00 USD."
    """
    payment.flagged_reason = reason[:500]
    payment.save(update_fields=["flagged_reason", "updated_at"])
    logger.warning("Payment %s flagged: %s", payment.pk, reason)


def amount_mismatch(
    payment: InvoicePayment,
    *,
    amount: Decimal | None,
    currency: str | None,
    status: str | None = None,
    refunds: Iterable[RefundSnapshot] = (),
    source: str = "Event",
) -> str:
    """Why money a gateway reports must not be applied to this payment ('' when it may).

    The one rule, for webhook events and status refreshes alike: a reported currency must be
    the payment's (a missing one is not a mismatch); a reported amount must be the payment's
    when it is money being captured (``status`` processing or succeeded, or no ``status``
    given); every reported refund must be in the payment's currency. ``source`` names who
    reported it in the reason ("Event", "Gateway").
    """
    if currency and currency.upper() != payment.currency:
        return f"{source} currency {currency.upper()} does not match the payment's {payment.currency}."
    captures = status is None or status in state.CAPTURES
    if captures and amount is not None and amount != payment.amount:
        return (
            f"{source} amount {display_amount(amount, payment.currency)} does not match the payment's "
            f"{display_amount(payment.amount, payment.currency)}."
        )
    for refund in refunds:
        if refund.currency.upper() != payment.currency:
            return (
                f"{source} refund {refund.refund_id} currency {refund.currency.upper()} does not match the "
                f"payment's {payment.currency}."
            )
    return ""


def record_refund(
    payment: InvoicePayment, snapshot: RefundSnapshot, *, refund: PaymentRefund | None = None
) -> PaymentRefund:
    """Create or update the refund the gateway reports, then the payment's refunded amount.

    A refund is matched by the gateway's id, else by our id echoed in its metadata; one that
    matches neither was made outside Trackify (the provider's dashboard) and is recorded too.
    """
    if refund is None:
        refund = payment.refunds.filter(gateway_refund_id=snapshot.refund_id).first()
    if refund is None and snapshot.our_refund_id:
        try:
            refund = payment.refunds.filter(pk=UUID(str(snapshot.our_refund_id))).first()
        except ValueError:
            refund = None
    if refund is None:
        refund = PaymentRefund.objects.create(
            payment=payment,
            amount=snapshot.amount,
            currency=snapshot.currency.upper(),
            status=snapshot.status,
            source=RefundSource.GATEWAY,
            # Made in the provider's dashboard: usually a goodwill refund or a discount, so the
            # client is not billed for it again.
            invoice_effect=InvoiceEffect.CREDIT,
            gateway_refund_id=snapshot.refund_id,
            reason=snapshot.reason[:500],
            failure_reason=snapshot.failure_reason[:500],
            **fee_fields(snapshot.fee),
        )
        logger.info("Recorded refund %s of payment %s made at the gateway", snapshot.refund_id, payment.pk)
        refund_status_changed.send(sender=PaymentRefund, refund=refund, previous=None)
    else:
        fields = []
        if not refund.gateway_refund_id:
            refund.gateway_refund_id = snapshot.refund_id
            fields.append("gateway_refund_id")
        previous = refund.status
        if snapshot.status != refund.status and state.can_refund_transition(refund.status, snapshot.status):
            refund.status = snapshot.status
            refund.failure_reason = snapshot.failure_reason[:500]
            fields += ["status", "failure_reason"]
        for name, value in fee_fields(snapshot.fee).items():
            setattr(refund, name, value)
            fields.append(name)
        if fields:
            refund.save(update_fields=[*fields, "updated_at"])
        if refund.status != previous:
            refund_status_changed.send(sender=PaymentRefund, refund=refund, previous=previous)
    sync_refunded_amount(payment)
    return refund


# A decided dispute may still be reported again (a late "updated"); it never reopens.
_DISPUTE_FINAL = frozenset({DisputeStatus.WON, DisputeStatus.LOST, DisputeStatus.WARNING_CLOSED})


def record_dispute(payment: InvoicePayment, snapshot: DisputeSnapshot) -> PaymentDispute:
    """Create or update the dispute the gateway reports (matched by its id) on a locked payment,
    then the invoice's totals (a lost dispute no longer counts as paid)."""
    dispute = payment.disputes.filter(gateway_dispute_id=snapshot.dispute_id).first()
    previous = dispute.status if dispute is not None else None
    if dispute is None:
        dispute = PaymentDispute(payment=payment, gateway_dispute_id=snapshot.dispute_id)
    elif dispute.status in _DISPUTE_FINAL and snapshot.status not in _DISPUTE_FINAL:
        logger.info("Dispute %s stays %s (ignored %s)", snapshot.dispute_id, dispute.status, snapshot.status)
        return dispute
    dispute.amount = snapshot.amount
    dispute.currency = (snapshot.currency or payment.currency).upper()
    dispute.status = snapshot.status
    dispute.reason = snapshot.reason[:100]
    dispute.evidence_due_by = snapshot.evidence_due_by
    dispute.save()
    if previous != dispute.status:
        logger.info("Payment %s: dispute %s %s -> %s", payment.pk, snapshot.dispute_id, previous, dispute.status)
        recompute_invoice(payment.invoice_id)
        dispute_changed.send(sender=PaymentDispute, dispute=dispute, previous=previous)
    return dispute


def sync_refunded_amount(payment: InvoicePayment) -> None:
    """Set the payment's refunded amount from its refunds; a settled status follows it."""
    held = payment.refunds.filter(status__in=state.REFUND_HOLDS).aggregate(total=Sum("amount"))["total"]
    amount_refunded = held or Decimal("0")
    if amount_refunded > payment.amount:
        flag(
            payment,
            f"Refunds ({display_amount(amount_refunded, payment.currency)}) exceed the payment "
            f"({display_amount(payment.amount, payment.currency)}).",
        )
    payment.amount_refunded = amount_refunded
    if payment.status in state.SETTLED:
        # Captured money: move_to picks the settled status that matches the refunded amount.
        moved = payment.status != state.settled_status(payment.amount, amount_refunded)
        move_to(payment, state.PaymentStatus.SUCCEEDED, amount_refunded=amount_refunded)
        if moved:
            return  # move_to has recomputed the invoice
    else:
        save_fields(payment, amount_refunded=amount_refunded)
    recompute_invoice(payment.invoice_id)


def _sum_of(rows: QuerySet[Any], field: str, invoice: str) -> Subquery:
    """The sum of ``field`` over ``rows`` of the outer invoice, as one scalar subquery."""
    of_invoice = rows.filter(**{invoice: OuterRef("pk")}).order_by().values(invoice)
    return Subquery(of_invoice.annotate(total=Sum(field)).values("total"))


def _totals(marker: Marker, _shape: Any) -> QuerySet[Any]:
    settled = sorted(state.SETTLED)
    return (
        Invoice.objects.filter(pk=marker.uuid())
        .order_by()
        .values(
            gross=_sum_of(InvoicePayment.objects.filter(status__in=settled), "amount", "invoice_id"),
            refunded=_sum_of(InvoicePayment.objects.filter(status__in=settled), "amount_refunded", "invoice_id"),
            credited=_sum_of(
                PaymentRefund.objects.filter(
                    payment__status__in=settled,
                    status__in=sorted(state.REFUND_HOLDS),
                    invoice_effect=InvoiceEffect.CREDIT,
                ),
                "amount",
                "payment__invoice_id",
            ),
            disputed=_sum_of(
                PaymentDispute.objects.filter(payment__status__in=settled, status=DisputeStatus.LOST),
                "amount",
                "payment__invoice_id",
            ),
        )
    )


# An invoice's four sums in one statement, compiled to SQL once per connection (core.prepared).
_TOTALS = PreparedQuery(_totals)


def recompute_invoice(invoice_id: UUID) -> Invoice:
    """The only computation of an invoice's paid, refunded and credited amounts from its payments.

    Every refund that holds its amount (pending or succeeded) comes off what was paid; those made
    with the ``credit`` effect are also taken off what the client owes. A lost dispute took its
    amount back from the owner: it is ``amount_disputed`` and no longer counts as paid.

    The invoice is locked first (with its owner read alongside, not locked), then its sums are
    read in one statement: that statement starts after the lock is held, so it sees every
    payment committed by whoever held the lock before.
    """
    invoice = Invoice.objects.select_for_update(of=("self",)).select_related("owner").get(pk=invoice_id)
    totals = _TOTALS.dicts(invoice_id)[0]
    zero = Decimal("0")
    gross = totals["gross"] or zero
    refunded = totals["refunded"] or zero
    invoice = apply_payment_totals(
        invoice=invoice,
        amount_paid=gross - refunded,
        amount_refunded=refunded,
        amount_credited=totals["credited"] or zero,
        amount_disputed=totals["disputed"] or zero,
    )
    if invoice.amount_overpaid > 0:
        logger.warning(
            "Invoice %s is overpaid by %s", invoice.pk, display_amount(invoice.amount_overpaid, invoice.currency)
        )
    return invoice
