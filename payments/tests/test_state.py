"""The payment state machine: which moves are allowed, and that status never goes backwards."""

from __future__ import annotations

from decimal import Decimal

import pytest

from payments.state import PaymentStatus as S
from payments.state import RefundStatus as R
from payments.state import can_refund_transition, can_transition, rank, settled_status


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.PENDING, S.PROCESSING),
        (S.PENDING, S.SUCCEEDED),
        (S.PENDING, S.FAILED),
        (S.PENDING, S.EXPIRED),
        (S.PROCESSING, S.SUCCEEDED),
        (S.PROCESSING, S.FAILED),
        (S.FAILED, S.SUCCEEDED),  # money the gateway confirms late is never dropped
        (S.EXPIRED, S.SUCCEEDED),
        (S.SUCCEEDED, S.PARTIALLY_REFUNDED),
        (S.PARTIALLY_REFUNDED, S.REFUNDED),
        (S.REFUNDED, S.PARTIALLY_REFUNDED),  # a refund that failed later gives money back
        (S.PARTIALLY_REFUNDED, S.SUCCEEDED),
    ],
)
def test_allowed_moves(current, target):
    assert can_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.SUCCEEDED, S.PENDING),
        (S.SUCCEEDED, S.FAILED),
        (S.SUCCEEDED, S.EXPIRED),
        (S.REFUNDED, S.PROCESSING),
        (S.PROCESSING, S.PENDING),
        (S.FAILED, S.PENDING),
        (S.EXPIRED, S.FAILED),
        (S.PENDING, S.REFUNDED),  # only captured money can be refunded
        (S.FAILED, S.PARTIALLY_REFUNDED),
    ],
)
def test_forbidden_moves(current, target):
    assert not can_transition(current, target)


def test_every_allowed_move_keeps_or_raises_the_rank():
    for current in S:
        for target in S:
            if can_transition(current, target):
                assert rank(target) >= rank(current), (current, target)


def test_settled_status_follows_the_refunded_amount():
    assert settled_status(Decimal("100"), Decimal("0")) == S.SUCCEEDED
    assert settled_status(Decimal("100"), Decimal("40")) == S.PARTIALLY_REFUNDED
    assert settled_status(Decimal("100"), Decimal("100")) == S.REFUNDED


def test_refund_statuses():
    assert can_refund_transition(R.PENDING, R.SUCCEEDED)
    assert can_refund_transition(R.PENDING, R.FAILED)
    assert can_refund_transition(R.SUCCEEDED, R.FAILED)  # Stripe's refund.failed after success
    assert not can_refund_transition(R.FAILED, R.SUCCEEDED)
    assert not can_refund_transition(R.SUCCEEDED, R.PENDING)
