"""Payment and refund statuses, and the transitions allowed between them.

A payment's status only ever moves forward in rank. ``failed``, ``expired`` and ``canceled``
close a checkout, but money the gateway later confirms as captured still wins (a late
``succeeded`` is recorded, never dropped). Within the settled group the status follows the
refunded amount, so a refund that fails later can move ``refunded`` back to
``partially_refunded`` or ``succeeded``.
"""

from __future__ import annotations

from django.db import models


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"
    CANCELED = "canceled", "Canceled"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELED = "canceled", "Canceled"


OPEN = frozenset({PaymentStatus.PENDING, PaymentStatus.PROCESSING})
CLOSED_UNPAID = frozenset({PaymentStatus.FAILED, PaymentStatus.EXPIRED, PaymentStatus.CANCELED})
SETTLED = frozenset({PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED})
FINAL = CLOSED_UNPAID | SETTLED
# Statuses that report money being captured: their amount must be the payment's.
CAPTURES = frozenset({PaymentStatus.PROCESSING, PaymentStatus.SUCCEEDED})

# Refunds that count against what a payment may still refund (pending ones hold their amount).
REFUND_HOLDS = frozenset({RefundStatus.PENDING, RefundStatus.SUCCEEDED})
REFUND_FINAL = frozenset({RefundStatus.SUCCEEDED, RefundStatus.FAILED, RefundStatus.CANCELED})

_RANK = {
    PaymentStatus.PENDING: 0,
    PaymentStatus.PROCESSING: 1,
    PaymentStatus.FAILED: 2,
    PaymentStatus.EXPIRED: 2,
    PaymentStatus.CANCELED: 2,
    PaymentStatus.SUCCEEDED: 3,
    PaymentStatus.PARTIALLY_REFUNDED: 3,
    PaymentStatus.REFUNDED: 3,
}


def rank(status: str) -> int:
    return _RANK[PaymentStatus(status)]


def can_transition(current: str, target: str) -> bool:
    """Whether a payment in ``current`` may move to ``target``.

    Staying put is always allowed (the caller treats it as a no-op). Between the settled
    statuses any move is allowed: the refunded amount decides, not the order of events.
    """
    current, target = PaymentStatus(current), PaymentStatus(target)
    if current == target:
        return True
    if current in SETTLED and target in SETTLED:
        return True
    if target in (PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED):
        return False  # only a settled payment can be refunded
    return rank(target) > rank(current)


def can_refund_transition(current: str, target: str) -> bool:
    current, target = RefundStatus(current), RefundStatus(target)
    if current == target:
        return True
    if current == RefundStatus.PENDING:
        return True
    # A refund Stripe reported as succeeded can still fail later (refund.failed).
    return current == RefundStatus.SUCCEEDED and target in (RefundStatus.FAILED, RefundStatus.CANCELED)


def settled_status(amount, amount_refunded) -> PaymentStatus:  # type: ignore[no-untyped-def]
    """The settled status that matches how much of a captured payment has been refunded."""
    if amount_refunded <= 0:
        return PaymentStatus.SUCCEEDED
    if amount_refunded >= amount:
        return PaymentStatus.REFUNDED
    return PaymentStatus.PARTIALLY_REFUNDED
