"""PayPal orders cannot be cancelled through PayPal's API (the gateway has no checkout expiry):
voiding an invoice closes its checkout on Trackify's side, and a payer's approval that arrives
afterwards is never captured, so no money is taken for a void invoice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from paypal_helpers import deliver

from invoices.models import Invoice
from invoices.services import void_invoice
from payments.services import PaymentService

pytestmark = pytest.mark.django_db(transaction=True)


def captures(fake_paypal, order_id):  # type: ignore[no-untyped-def]
    return fake_paypal.calls("POST", f"/v2/checkout/orders/{order_id}/capture")


def test_an_approval_after_the_void_is_not_captured(api_client, connected, checkout, fake_paypal):
    void_invoice(invoice=checkout.invoice)
    checkout.refresh_from_db()
    assert (checkout.status, checkout.failure_message) == ("canceled", "The invoice was voided.")

    fake_paypal.approve(checkout.gateway_session_id)
    order = fake_paypal.orders[checkout.gateway_session_id]
    assert deliver(api_client, fake_paypal, connected, "CHECKOUT.ORDER.APPROVED", order).status_code == 200
    PaymentService().refresh_payment(payment=checkout)  # the admin's refresh neither

    assert captures(fake_paypal, checkout.gateway_session_id) == []
    checkout.refresh_from_db()
    invoice = Invoice.objects.get(pk=checkout.invoice_id)
    assert (checkout.status, invoice.status, invoice.amount_paid) == ("canceled", "void", Decimal("0"))


def test_an_approval_racing_the_void_before_its_checkouts_are_closed_is_not_captured(
    api_client, connected, checkout, fake_paypal
):
    # The void committed; the task closing its checkouts has not run yet.
    Invoice.objects.filter(pk=checkout.invoice_id).update(status="void")
    fake_paypal.approve(checkout.gateway_session_id)
    order = fake_paypal.orders[checkout.gateway_session_id]

    assert deliver(api_client, fake_paypal, connected, "CHECKOUT.ORDER.APPROVED", order).status_code == 200
    PaymentService().refresh_payment(payment=checkout)

    assert captures(fake_paypal, checkout.gateway_session_id) == []
    checkout.refresh_from_db()
    assert (checkout.status, checkout.amount_refunded) == ("pending", Decimal("0"))
