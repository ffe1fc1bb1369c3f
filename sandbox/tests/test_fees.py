"""The sandbox charges a fixed test fee (2.9% + 0.30), so the demo and the reports show fees and net."""

from __future__ import annotations

from decimal import Decimal

import pytest

from payments.models import InvoicePayment
from sandbox.provider import payment_fee, refund_fee

pytestmark = pytest.mark.django_db


def test_a_paid_checkout_records_the_sandbox_fee_and_net(invoice, pay):
    payment = InvoicePayment.objects.get(pk=pay(invoice))
    assert payment.status == "succeeded"
    assert (payment.fee, payment.net, payment.fee_currency) == (Decimal("3.20"), Decimal("96.80"), "USD")


def test_a_refund_records_no_fee_and_a_negative_net(invoice, pay, owner_client):
    payment_id = pay(invoice)
    answer = owner_client.post(f"/api/payment/refund/{payment_id}/", {"amount": "40.00"}, format="json")
    assert answer.status_code in (200, 201), answer.json()
    refund = InvoicePayment.objects.get(pk=payment_id).refunds.get()
    assert (refund.fee, refund.net, refund.fee_currency) == (Decimal("0.00"), Decimal("-40.00"), "USD")


def test_a_declined_checkout_has_no_fee(invoice, pay):
    payment = InvoicePayment.objects.get(pk=pay(invoice, outcome="decline"))
    assert payment.status == "failed"
    assert payment.fee is None


@pytest.mark.parametrize(
    ("amount", "currency", "fee", "net"),
    [
        ("100.00", "USD", "3.20", "96.80"),
        ("19.99", "EUR", "0.88", "19.11"),  # 0.57971 + 0.30 = 0.87971, rounded
        ("10000", "JPY", "290", "9710"),  # 0.30 JPY rounds away: 2.9% only
        ("12.345", "KWD", "0.658", "11.687"),
        ("0.10", "USD", "0.10", "0.00"),  # never more than the amount
    ],
)
def test_the_fee_is_rounded_to_the_currencys_places(amount, currency, fee, net):
    assert payment_fee(Decimal(amount), currency) == {"fee": fee, "net": net, "currency": currency}


def test_a_refund_fee_is_zero_in_the_currencys_places():
    assert refund_fee(Decimal("500"), "JPY") == {"fee": "0", "net": "-500", "currency": "JPY"}


def test_the_adapter_reads_the_fee_from_the_checkout_its_event_and_its_refund(owner):
    import datetime as dt

    from django.utils import timezone

    from payments.connections import gateway_for
    from payments.factories import sandbox_config
    from payments.gateways.base import CheckoutRequest, Fee, RefundRequest
    from sandbox import provider
    from sandbox.models import SandboxSession

    gateway = gateway_for(sandbox_config(owner=owner))
    opened = gateway.create_checkout(
        CheckoutRequest(
            payment_id="p1", invoice_id="i1", invoice_number="INV-1", description="Work", amount=Decimal("50.00"),
            currency="EUR", customer_email=None, success_url="http://x.example/ok", cancel_url="http://x.example/no",
            expires_at=timezone.now() + dt.timedelta(hours=1), idempotency_key="fee-test-1",
        )
    )  # fmt: skip
    assert gateway.retrieve_payment(session_id=opened.session_id).fee is None  # not paid yet
    (event,) = provider.complete(SandboxSession.objects.get(pk=opened.session_id), "pay")
    body = provider.encode(event)
    secret = gateway.credentials["webhook_secret"]
    parsed = gateway.parse_webhook(
        body=body, headers={"sandbox-signature": provider.sign(body, secret)}, secrets=[secret]
    )
    expected = Fee(fee=Decimal("1.75"), net=Decimal("48.25"), currency="EUR")  # 1.45 + 0.30
    assert parsed.fee == expected
    assert gateway.retrieve_payment(session_id=opened.session_id).fee == expected
    refunded = gateway.refund(
        RefundRequest(
            refund_id="r1", payment_id="p1", session_id=opened.session_id, payment_reference=None,
            amount=Decimal("20.00"), currency="EUR", reason="", idempotency_key="fee-test-refund-1",
        )
    )  # fmt: skip
    assert refunded.fee == Fee(fee=Decimal("0.00"), net=Decimal("-20.00"), currency="EUR")
