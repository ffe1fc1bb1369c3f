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


def test_every_status_has_one_rule_and_the_groups_come_from_the_table():
    from payments import state

    assert set(state.PAYMENT_RULES) == set(S)
    assert set(state.REFUND_RULES) == set(R)
    assert state.OPEN == {S.PENDING, S.PROCESSING}
    assert state.SETTLED == {S.SUCCEEDED, S.PARTIALLY_REFUNDED, S.REFUNDED}
    assert state.CAPTURES == {S.PROCESSING, S.SUCCEEDED}
    assert state.REFUNDABLE == {S.SUCCEEDED, S.PARTIALLY_REFUNDED}
    assert state.REFUND_HOLDS == {R.PENDING, R.SUCCEEDED}


@pytest.mark.parametrize(
    ("current", "target", "refunded", "expected"),
    [
        (S.PENDING, S.SUCCEEDED, "0", S.SUCCEEDED),
        (S.PENDING, S.SUCCEEDED, "30", S.PARTIALLY_REFUNDED),  # refunds reported before the completion
        (S.PENDING, S.REFUNDED, "100", S.REFUNDED),  # any settled target is a capture
        (S.EXPIRED, S.SUCCEEDED, "0", S.SUCCEEDED),  # late money is recorded
        (S.REFUNDED, S.SUCCEEDED, "0", S.SUCCEEDED),  # a refund failed later
        (S.PENDING, S.PROCESSING, "0", S.PROCESSING),
        (S.SUCCEEDED, S.EXPIRED, "0", None),
        (S.PROCESSING, S.PENDING, "0", None),
    ],
)
def test_next_status(current, target, refunded, expected):
    from payments.state import next_status

    assert next_status(current, target, amount=Decimal("100"), amount_refunded=Decimal(refunded)) == expected
