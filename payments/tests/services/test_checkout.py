"""Opening a checkout (payments.services.checkout), called directly."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db import connection

from core.errors import NotFound
from invoices.factories import InvoiceFactory
from payments.errors import GatewayError, InvalidAmount, InvoiceNotPayable, TooManyOpenCheckouts
from payments.gateways.base import CheckoutSession
from payments.models import InvoicePayment
from payments.services import PaymentService
from payments.services.checkout import create_checkout

pytestmark = pytest.mark.django_db


def test_a_checkout_is_recorded_with_its_key_before_the_gateway_is_called_outside_any_transaction(
    invoice, fake_gateway
):
    depth = len(connection.atomic_blocks)
    seen = {}

    def create(request):  # type: ignore[no-untyped-def]
        seen["rows"] = list(InvoicePayment.objects.values_list("idempotency_key", flat=True))
        seen["depth"] = len(connection.atomic_blocks)
        return CheckoutSession(session_id="cs_1", checkout_url="https://pay/cs_1", payment_reference="pi_1")

    fake_gateway.answers["create_checkout"] = create
    result = create_checkout(invoice_id=invoice.pk)

    assert result.created
    payment = InvoicePayment.objects.get()
    assert seen == {"rows": [payment.idempotency_key], "depth": depth}
    assert payment.idempotency_key.startswith("trk-pay-")
    assert (payment.amount, payment.currency, payment.status) == (Decimal("100.00"), "USD", "pending")
    assert (payment.gateway_session_id, payment.checkout_url, payment.gateway_payment_reference) == (
        "cs_1",
        "https://pay/cs_1",
        "pi_1",
    )


def test_the_open_checkout_for_the_same_amount_is_handed_back(invoice, fake_gateway):
    first = PaymentService().create_checkout(invoice_id=invoice.pk)
    again = PaymentService().create_checkout(invoice_id=invoice.pk)

    assert (first.created, again.created) == (True, False)
    assert again.payment.pk == first.payment.pk
    assert [name for name, _ in fake_gateway.calls] == ["create_checkout"]


def test_an_unknown_invoice_is_not_found(db, fake_gateway):
    with pytest.raises(NotFound):
        create_checkout(invoice_id=uuid.uuid4())


def test_a_draft_invoice_cannot_be_paid(owner, gateway, fake_gateway):
    invoice = InvoiceFactory(owner=owner, status="draft")
    with pytest.raises(InvoiceNotPayable, match="not been sent"):
        create_checkout(invoice_id=invoice.pk)


@pytest.mark.parametrize(
    ("amount", "message"),
    [("250.00", "more than the 100.00 USD due"), ("0", "more than zero"), ("40.00", "paid in full")],
)
def test_amounts_are_checked_against_what_is_due(invoice, fake_gateway, amount, message):
    with pytest.raises(InvalidAmount, match=message):
        create_checkout(invoice_id=invoice.pk, amount=amount)
    assert not InvoicePayment.objects.exists()


def test_a_refused_call_keeps_nothing(invoice, fake_gateway):
    fake_gateway.answers["create_checkout"] = GatewayError("declined")
    with pytest.raises(GatewayError):
        create_checkout(invoice_id=invoice.pk)
    assert not InvoicePayment.objects.exists()


def test_a_call_whose_outcome_is_unknown_is_retried_with_the_same_key(invoice, fake_gateway):
    fake_gateway.answers["create_checkout"] = GatewayError("timeout", outcome_unknown=True)
    with pytest.raises(GatewayError):
        create_checkout(invoice_id=invoice.pk)
    kept = InvoicePayment.objects.get()
    assert kept.checkout_url == ""

    del fake_gateway.answers["create_checkout"]
    result = create_checkout(invoice_id=invoice.pk)

    assert (result.created, result.payment.pk) == (True, kept.pk)
    keys = [request.idempotency_key for name, request in fake_gateway.calls]
    assert keys == [kept.idempotency_key, kept.idempotency_key]


def test_open_checkouts_are_capped_per_invoice(owner, gateway, fake_gateway, settings):
    settings.MAX_OPEN_CHECKOUTS_PER_INVOICE = 2
    invoice = InvoiceFactory(owner=owner, allow_partial_payments=True, items=[("Work", 1, "100.00")])
    sessions = iter(CheckoutSession(session_id=f"cs_{n}", checkout_url=f"https://pay/cs_{n}") for n in range(3))
    fake_gateway.answers["create_checkout"] = lambda request: next(sessions)
    create_checkout(invoice_id=invoice.pk, amount="10.00")
    create_checkout(invoice_id=invoice.pk, amount="20.00")

    with pytest.raises(TooManyOpenCheckouts) as caught:
        create_checkout(invoice_id=invoice.pk, amount="30.00")
    assert caught.value.details == {"limit": 2}
