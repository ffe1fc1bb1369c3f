"""Voiding an invoice closes its open checkouts (marked canceled, and expired at gateways that
can), and a payer who still completes one at the gateway is recorded, not lost."""

from __future__ import annotations

from django.test import Client

from invoices.services import void_invoice
from payments.gateways.sandbox import SandboxGateway
from payments.models import InvoicePayment
from payments.services.checkout import close_open_checkouts, create_checkout


def test_voiding_cancels_the_open_checkouts_and_the_link_offers_none(owner, invoice, checkout):
    open_one = create_checkout(public_id=invoice.public_id).payment

    void_invoice(invoice=invoice)

    open_one.refresh_from_db()
    assert (open_one.status, open_one.failure_message) == ("canceled", "The invoice was voided.")
    public = Client().get(f"/api/payment/public/invoice/{invoice.public_id}/").json()
    assert (public["status"], public["payable"]) == ("void", False)
    refused = Client().post(
        "/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, content_type="application/json"
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "invoice_not_payable")


def test_a_payment_completed_after_the_void_is_still_recorded(owner, invoice, checkout, monkeypatch):
    # A gateway that cannot expire its checkouts (PayPal): ours is closed, theirs stays open.
    monkeypatch.setattr(SandboxGateway, "supports_checkout_expiry", False)
    payment = create_checkout(public_id=invoice.public_id).payment
    void_invoice(invoice=invoice)

    checkout.pay(payment.checkout_url)

    payment.refresh_from_db()
    assert payment.status == "succeeded"  # money captured outranks our "canceled"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("void", payment.amount)


def test_closing_leaves_settled_payments_alone_and_counts_what_it_closed(owner, invoice, pay):
    pay(invoice, amount=None)
    assert close_open_checkouts(invoice.pk) == 0
    assert set(InvoicePayment.objects.filter(invoice=invoice).values_list("status", flat=True)) == {"succeeded"}
