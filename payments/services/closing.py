"""Closing an invoice's open checkouts at their gateway: the invoice was voided, or its payment
link was turned off or replaced, so whoever holds an already open checkout must not pay it.

Each pending checkout's gateway is asked, outside any transaction, to expire it
(``supports_checkout_expiry``), and what it answers is applied like any status read
(``status_sync.apply_snapshot``): a payer who completed the checkout a moment before is recorded
as paid, never lost. An expired checkout is marked ``canceled`` with the reason. A gateway
without the capability (PayPal's orders cannot be cancelled through its API) has the checkout
closed on our side only, as does one that refuses the call; money that still arrives through it
is recorded all the same, because captured money outranks ``canceled`` in ``payments.state``.
A gateway that cannot be reached raises ``GatewayError`` and leaves its payments pending, for
the task (``payments.tasks.close_invoice_checkouts``) to try again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.db.models import Q

from activity.models import ActivityKind
from activity.services import record
from core.money import format_amount
from payments.connections import gateway_for
from payments.errors import GatewayError, PaymentError
from payments.models import InvoicePayment
from payments.services.status_sync import apply_snapshot
from payments.state import PaymentStatus
from payments.transitions import lock_payment, move_to

logger = logging.getLogger(__name__)

# Why the checkouts were closed: the payment's failure message and the timeline's detail.
REASONS: dict[str, str] = {
    "voided": "The invoice was voided.",
    "link_revoked": "The payment link was turned off.",
    "link_replaced": "The payment link was replaced.",
}
# What a gateway answers for a checkout it closed (or that was never paid): nothing was paid.
_UNPAID = frozenset({PaymentStatus.PENDING, PaymentStatus.EXPIRED, PaymentStatus.CANCELED})


@dataclass
class Closed:
    """What one run did: checkouts closed (at the gateway or ours only), found paid, left open."""

    closed: int = 0
    paid: int = 0
    unreachable: list[str] = field(default_factory=list)


def open_checkouts(invoice_id: UUID, *, opened_before: datetime | None = None) -> list[InvoicePayment]:
    """The invoice's hosted checkouts still pending (those opened before ``opened_before``, when
    given: a link replaced at that time leaves the new link's checkouts alone). Autopay charges
    (a session id but no checkout page) are not checkouts and are left to their own task."""
    found = InvoicePayment.objects.select_related("gateway_config").filter(
        Q(checkout_url__gt="") | Q(gateway_session_id=None) | Q(gateway_session_id=""),
        invoice_id=invoice_id,
        status=PaymentStatus.PENDING,
    )
    if opened_before is not None:
        found = found.filter(created_at__lt=opened_before)
    return list(found.order_by("created_at"))


def close_checkouts(
    invoice_id: UUID, *, reason: str, opened_before: datetime | None = None, last_try: bool = True
) -> Closed:
    """Close each open checkout of the invoice (see the module's docstring). A gateway that
    cannot be reached leaves its payment pending and is listed in ``unreachable``, unless
    ``last_try``: then the payment is closed on our side only."""
    outcome = Closed()
    for payment in open_checkouts(invoice_id, opened_before=opened_before):
        try:
            after = close_checkout(payment, reason=reason)
        except GatewayError as exc:
            if not last_try:
                outcome.unreachable.append(str(payment.pk))
                continue
            logger.warning("Checkout %s stays open at %s until it expires: %s", payment.pk, payment.gateway_name, exc.code)
            after = cancel(payment.pk, reason=reason, at_gateway=False)
        if after.status in _UNPAID:
            outcome.closed += 1
        else:
            outcome.paid += 1
    return outcome


def close_checkout(payment: InvoicePayment, *, reason: str) -> InvoicePayment:
    """Close one checkout: expired at its gateway when it can be, else ours only. Raises
    ``GatewayError`` (the payment left as it was) when the gateway cannot be reached."""
    try:
        gateway = gateway_for(payment.gateway_config)
    except PaymentError as exc:  # a gateway this install no longer has
        logger.warning("Closing checkout %s on our side only: %s", payment.pk, exc.code)
        return cancel(payment.pk, reason=reason, at_gateway=False)
    if not gateway.supports_checkout_expiry or not payment.gateway_session_id:
        return cancel(payment.pk, reason=reason, at_gateway=False)
    try:
        snapshot = gateway.expire_checkout(session_id=payment.gateway_session_id)
    except GatewayError:
        raise
    except PaymentError as exc:  # refused for good (no such checkout, keys revoked): ours only
        logger.warning("The gateway refused to expire checkout %s: %s", payment.pk, exc.code)
        return cancel(payment.pk, reason=reason, at_gateway=False)
    if snapshot.status in _UNPAID:
        return cancel(payment.pk, reason=reason, at_gateway=True)
    # The payer was quicker: the money is recorded as for any status read.
    return apply_snapshot(payment_id=payment.pk, snapshot=snapshot)


def cancel(payment_id: UUID, *, reason: str, at_gateway: bool) -> InvoicePayment:
    """Mark a pending checkout ``canceled`` with the reason, and write it on the timeline
    (whether its gateway closed it too). One no longer pending is left as it is."""
    message = REASONS.get(reason, reason)
    with transaction.atomic():
        payment = lock_payment(payment_id)
        if payment.status == PaymentStatus.PENDING and move_to(payment, PaymentStatus.CANCELED, failure_message=message):
            record(
                payment.invoice_id,
                ActivityKind.CHECKOUT_CLOSED,
                actor="system",
                details={
                    "amount": format_amount(payment.amount, payment.currency),
                    "currency": payment.currency,
                    "gateway": payment.gateway_name,
                    "reason": message,
                    "closed_at_gateway": at_gateway,
                },
            )
    return payment
