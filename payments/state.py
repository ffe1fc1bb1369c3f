"""Payment and refund statuses, and the transitions allowed between them.

A payment's status only ever moves forward in rank. ``failed``, ``expired`` and ``canceled``
close a checkout, but money the gateway later confirms as captured still wins (a late
``succeeded`` is recorded, never dropped). Within the settled group the status follows the
refunded amount, so a refund that fails later can move ``refunded`` back to
``partially_refunded`` or ``succeeded``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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


@dataclass(frozen=True, slots=True)
class Rule:
    """What the state machine knows about one payment status."""

    rank: int  # a payment only moves to a higher rank, or within the settled group
    group: str  # "open" (checkout under way), "closed" (ended unpaid) or "settled" (money captured)
    refunded: str = ""  # settled only: how much of the payment was refunded ("none", "part", "all")
    captures: bool = False  # a gateway reporting it is capturing money: its amount must be the payment's


# The one table of payment statuses: every rule below is read from it.
PAYMENT_RULES: dict[PaymentStatus, Rule] = {
    PaymentStatus.PENDING: Rule(rank=0, group="open"),
    PaymentStatus.PROCESSING: Rule(rank=1, group="open", captures=True),
    PaymentStatus.FAILED: Rule(rank=2, group="closed"),
    PaymentStatus.EXPIRED: Rule(rank=2, group="closed"),
    PaymentStatus.CANCELED: Rule(rank=2, group="closed"),
    PaymentStatus.SUCCEEDED: Rule(rank=3, group="settled", refunded="none", captures=True),
    PaymentStatus.PARTIALLY_REFUNDED: Rule(rank=3, group="settled", refunded="part"),
    PaymentStatus.REFUNDED: Rule(rank=3, group="settled", refunded="all"),
}

# Refund statuses: whether a refund holds its amount (pending ones do), and where it may move.
# A refund Stripe reported as succeeded can still fail later (refund.failed).
REFUND_RULES: dict[RefundStatus, tuple[bool, frozenset[RefundStatus]]] = {
    RefundStatus.PENDING: (True, frozenset({RefundStatus.SUCCEEDED, RefundStatus.FAILED, RefundStatus.CANCELED})),
    RefundStatus.SUCCEEDED: (True, frozenset({RefundStatus.FAILED, RefundStatus.CANCELED})),
    RefundStatus.FAILED: (False, frozenset()),
    RefundStatus.CANCELED: (False, frozenset()),
}

OPEN = frozenset(status for status, rule in PAYMENT_RULES.items() if rule.group == "open")
SETTLED = frozenset(status for status, rule in PAYMENT_RULES.items() if rule.group == "settled")
CAPTURES = frozenset(status for status, rule in PAYMENT_RULES.items() if rule.captures)
# Captured money not yet refunded in full: what may still be refunded.
REFUNDABLE = frozenset(status for status, rule in PAYMENT_RULES.items() if rule.refunded in ("none", "part"))
# Refunds that count against what a payment may still refund (pending ones hold their amount).
REFUND_HOLDS = frozenset(status for status, (holds, _) in REFUND_RULES.items() if holds)


def rank(status: str) -> int:
    return PAYMENT_RULES[PaymentStatus(status)].rank


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
    if PAYMENT_RULES[target].refunded in ("part", "all"):
        return False  # only a settled payment can be refunded
    return rank(target) > rank(current)


def next_status(current: str, target: str, *, amount: Decimal, amount_refunded: Decimal) -> PaymentStatus | None:
    """The status a payment in ``current`` ends in when asked to move to ``target`` (None: it stays).

    Any settled target means "money was captured": the move is checked as a capture (refunds
    reported before the completion, events out of order, must not turn a payment not yet settled
    into a refunded one), and which settled status follows from the refunds recorded so far.
    """
    if PaymentStatus(target) in SETTLED:
        return settled_status(amount, amount_refunded) if can_transition(current, PaymentStatus.SUCCEEDED) else None
    return PaymentStatus(target) if can_transition(current, target) else None


def can_refund_transition(current: str, target: str) -> bool:
    current, target = RefundStatus(current), RefundStatus(target)
    return current == target or target in REFUND_RULES[current][1]


def settled_status(amount: Decimal, amount_refunded: Decimal) -> PaymentStatus:
    """The settled status that matches how much of a captured payment has been refunded."""
    share = "none" if amount_refunded <= 0 else "all" if amount_refunded >= amount else "part"
    return next(status for status, rule in PAYMENT_RULES.items() if rule.refunded == share)
