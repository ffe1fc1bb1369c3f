"""Refunding a captured payment (payments.services.refunds), called directly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from payments.errors import GatewayError, InvalidAmount, RefundNotAllowed
from payments.gateways.base import PaymentSnapshot, RefundSnapshot
from payments.models import InvoicePayment, PaymentRefund
from payments.services import refunds
from payments.services.checkout import create_checkout
from payments.services.status_sync import apply_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(invoice, fake_gateway) -> InvoicePayment:  # type: ignore[no-untyped-def]
    payment = create_checkout(invoice_id=invoice.pk).payment
    captured = PaymentSnapshot(session_id="cs_1", status="succeeded", amount=Decimal("100.00"), currency="USD")
    return apply_snapshot(payment_id=payment.pk, snapshot=captured)


def _done(request, status: str = "succeeded") -> RefundSnapshot:  # type: ignore[no-untyped-def]
    return RefundSnapshot(
        refund_id=f"re_{request.refund_id[:8]}",
        amount=request.amount,
        currency=request.currency,
        status=status,
        our_refund_id=request.refund_id,
    )


def test_a_refund_holds_its_amount_with_its_key_before_the_call_outside_any_transaction(paid, invoice, fake_gateway):
    depth = len(connection.atomic_blocks)
    seen = {}

    def refund(request):  # type: ignore[no-untyped-def]
        row = PaymentRefund.objects.get(pk=request.refund_id)
        seen.update(
            status=row.status,
            key=row.idempotency_key == request.idempotency_key,
            held=InvoicePayment.objects.get().amount_refunded,
            depth=len(connection.atomic_blocks),
        )
        return _done(request)

    fake_gateway.answers["refund"] = refund
    created = refunds.refund(payment=paid, amount="40.00", reason="Goodwill")

    assert seen == {"status": "pending", "key": True, "held": Decimal("40.00"), "depth": depth}
    assert (created.status, created.amount, created.reason) == ("succeeded", Decimal("40.00"), "Goodwill")
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded) == ("partially_refunded", Decimal("40.00"))
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_credited) == ("paid", Decimal("40.00"))  # credit: still paid


def test_no_amount_refunds_what_is_left_and_reopen_makes_the_client_owe_it(paid, invoice, fake_gateway):
    fake_gateway.answers["refund"] = _done
    refunds.refund(payment=paid, invoice_effect="reopen")

    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded) == ("refunded", Decimal("100.00"))
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_due) == ("sent", Decimal("100.00"))
    with pytest.raises(RefundNotAllowed):
        refunds.refund(payment=paid)


def test_only_captured_money_can_be_refunded(invoice, fake_gateway):
    pending = create_checkout(invoice_id=invoice.pk).payment
    with pytest.raises(RefundNotAllowed, match="pending payment cannot be refunded"):
        refunds.refund(payment=pending)


def test_at_most_what_is_left_can_be_refunded(paid):
    with pytest.raises(InvalidAmount, match=r"At most 100\.00 USD can still be refunded\."):
        refunds.refund(payment=paid, amount="100.01")
    assert not PaymentRefund.objects.exists()


def test_a_refused_refund_fails_and_frees_its_amount(paid, fake_gateway):
    fake_gateway.answers["refund"] = GatewayError("Insufficient balance.")
    with pytest.raises(GatewayError):
        refunds.refund(payment=paid, amount="10.00")

    refund = PaymentRefund.objects.get()
    assert (refund.status, refund.failure_reason) == ("failed", "Insufficient balance.")
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded) == ("succeeded", Decimal("0"))


def test_a_lost_answer_keeps_the_refund_pending_until_it_is_resent_with_its_key(paid, fake_gateway):
    fake_gateway.answers["refund"] = GatewayError("timeout", outcome_unknown=True)
    with pytest.raises(GatewayError):
        refunds.refund(payment=paid, amount="10.00")
    pending = PaymentRefund.objects.get()
    assert pending.status == "pending"
    paid.refresh_from_db()
    assert paid.amount_refunded == Decimal("10.00")  # held: nobody can refund it twice

    fake_gateway.answers["refund"] = _done
    settled = refunds.refresh_refund(refund=pending)

    assert settled.status == "succeeded"
    keys = {request.idempotency_key for name, request in fake_gateway.calls if name == "refund"}
    assert keys == {pending.idempotency_key}


def test_a_pending_refund_known_to_the_gateway_is_asked_about(paid, fake_gateway):
    fake_gateway.answers["refund"] = lambda request: _done(request, status="pending")
    pending = refunds.refund(payment=paid, amount="10.00")
    assert pending.status == "pending"
    fake_gateway.answers["retrieve_refund"] = RefundSnapshot(
        refund_id=pending.gateway_refund_id, amount=Decimal("10.00"), currency="usd", status="succeeded"
    )

    assert refunds.refresh_refund(refund=pending).status == "succeeded"
    assert fake_gateway.calls[-1] == ("retrieve_refund", {"refund_id": pending.gateway_refund_id})
    assert refunds.refresh_refund(refund=PaymentRefund.objects.get()).status == "succeeded"  # settled: left alone
