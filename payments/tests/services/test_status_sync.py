"""Bringing a payment in line with its gateway (payments.services.status_sync), called directly."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from payments.errors import GatewayError
from payments.gateways.base import PaymentSnapshot, RefundSnapshot
from payments.models import InvoicePayment
from payments.services import status_sync
from payments.services.checkout import create_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(invoice, fake_gateway) -> InvoicePayment:  # type: ignore[no-untyped-def]
    cache.clear()
    return create_checkout(invoice_id=invoice.pk).payment


def _snapshot(status: str, amount: str | None = "100.00", **kwargs) -> PaymentSnapshot:  # type: ignore[no-untyped-def]
    return PaymentSnapshot(
        session_id="cs_1", status=status, amount=None if amount is None else Decimal(amount), currency="usd", **kwargs
    )


def test_a_capture_settles_the_payment_and_the_invoice(opened, invoice):
    payment = status_sync.apply_snapshot(
        payment_id=opened.pk, snapshot=_snapshot("succeeded", payment_reference="pi_9")
    )

    assert (payment.status, payment.gateway_payment_reference) == ("succeeded", "pi_9")
    assert payment.last_synced_at is not None
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("100.00"))


@pytest.mark.parametrize("status", ["succeeded", "processing"])
def test_money_that_does_not_match_is_flagged_not_applied(opened, invoice, status):
    payment = status_sync.apply_snapshot(payment_id=opened.pk, snapshot=_snapshot(status, "1.00"))

    payment.refresh_from_db()
    assert payment.status == "pending"
    assert payment.flagged_reason == "Gateway amount 1.00 USD does not match the payment's 100.00 USD."
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("0")


def test_a_failure_keeps_its_message_whatever_amount_it_reports(opened):
    snapshot = _snapshot("failed", "1.00", failure_message="Card declined.")
    payment = status_sync.apply_snapshot(payment_id=opened.pk, snapshot=snapshot)

    payment.refresh_from_db()
    assert (payment.status, payment.failure_message, payment.flagged_reason) == ("failed", "Card declined.", "")


def test_a_late_status_the_state_machine_refuses_still_records_the_sync(opened):
    status_sync.apply_snapshot(payment_id=opened.pk, snapshot=_snapshot("succeeded"))
    before = InvoicePayment.objects.get().last_synced_at

    payment = status_sync.apply_snapshot(payment_id=opened.pk, snapshot=_snapshot("expired"))

    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert payment.last_synced_at > before


def test_refunds_in_the_snapshot_are_recorded(opened, invoice):
    refund = RefundSnapshot(refund_id="re_1", amount=Decimal("30.00"), currency="usd", status="succeeded")
    payment = status_sync.apply_snapshot(payment_id=opened.pk, snapshot=_snapshot("succeeded", refunds=(refund,)))

    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("30.00"))
    assert payment.refunds.get().gateway_refund_id == "re_1"
    invoice.refresh_from_db()
    assert invoice.amount_refunded == Decimal("30.00")


def test_refresh_if_due_asks_the_gateway_once_per_interval(opened, fake_gateway):
    fake_gateway.answers["retrieve_payment"] = _snapshot("processing")

    first = status_sync.refresh_if_due(payment=opened)
    second = status_sync.refresh_if_due(payment=first)

    assert second.status == "processing"
    assert [name for name, _ in fake_gateway.calls].count("retrieve_payment") == 1


def test_refresh_if_due_leaves_the_payment_as_it_was_when_the_gateway_fails(opened, fake_gateway):
    fake_gateway.answers["retrieve_payment"] = GatewayError("down", outcome_unknown=True)

    assert status_sync.refresh_if_due(payment=opened).status == "pending"


def test_refresh_if_due_leaves_settled_payments_alone(opened, fake_gateway):
    settled = status_sync.apply_snapshot(payment_id=opened.pk, snapshot=_snapshot("succeeded"))
    assert status_sync.refresh_if_due(payment=settled) is settled
    assert "retrieve_payment" not in [name for name, _ in fake_gateway.calls]


def test_an_attempt_never_opened_is_closed_once_it_would_have_expired(invoice, fake_gateway):
    fake_gateway.answers["create_checkout"] = GatewayError("timeout", outcome_unknown=True)
    with pytest.raises(GatewayError):
        create_checkout(invoice_id=invoice.pk)
    attempt = InvoicePayment.objects.get()

    assert status_sync.refresh_payment(payment=attempt).status == "pending"  # the payer may still get a link
    InvoicePayment.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    closed = status_sync.refresh_payment(payment=InvoicePayment.objects.get())

    assert (closed.status, closed.failure_message) == ("canceled", "The checkout was never opened.")


def test_stale_payments_and_refunds_are_the_open_ones_nothing_changed_lately(opened):
    later = timezone.now() + timedelta(minutes=1)
    assert status_sync.stale_payments(unchanged_since=later, limit=10) == [opened]
    assert status_sync.stale_payments(unchanged_since=later - timedelta(hours=1), limit=10) == []
    status_sync.apply_snapshot(payment_id=opened.pk, snapshot=_snapshot("succeeded"))
    assert status_sync.stale_payments(unchanged_since=later, limit=10) == []

    opened.refunds.create(amount=Decimal("5.00"), currency="USD", status="pending")
    opened.refunds.create(amount=Decimal("5.00"), currency="USD", status="failed")
    assert [r.status for r in status_sync.stale_refunds(unchanged_since=later, limit=10)] == ["pending"]
