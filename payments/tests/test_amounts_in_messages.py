"""Every amount a person reads (API errors, flagged reasons, log lines, the demo's banner) has
the currency's own decimal places, never the database column's three ("219.990 USD")."""

from __future__ import annotations

import logging
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from invoices.factories import InvoiceFactory
from payments.gateways.base import RefundSnapshot
from payments.services import PaymentService
from payments.tests.reliability.conftest import completed_event, deliver
from payments.transitions import lock_payment, record_refund

pytestmark = pytest.mark.django_db


def test_create_session_above_the_amount_due(api_client, owner, gateway):
    invoice = InvoiceFactory(owner=owner, allow_partial_payments=True, items=[("Work", 1, "219.99")])
    response = api_client.post(
        "/api/payment/create-session/", {"invoice_id": str(invoice.public_id), "amount": "300.00"}, format="json"
    )
    assert (response.status_code, response.json()["message"]) == (400, "The amount is more than the 219.99 USD due.")


def test_a_flagged_webhook_amount_names_both_amounts_plainly(client, gateway, invoice):
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    payload = completed_event(payment)
    payload["data"]["object"]["amount"] = "1.00"
    assert deliver(client, gateway, payload).status_code == 200
    payment.refresh_from_db()
    assert payment.flagged_reason == "Event amount 1.00 USD does not match the payment's 100.00 USD."


def test_refunds_beyond_the_payment_are_flagged_plainly(invoice, pay, caplog):
    from payments.models import InvoicePayment

    pay(invoice)
    payment = InvoicePayment.objects.get()
    snapshot = RefundSnapshot(refund_id="re_dash", amount=Decimal("150.00"), currency="usd", status="succeeded")
    with caplog.at_level(logging.WARNING, logger="payments.transitions"), transaction.atomic():
        record_refund(lock_payment(payment.pk), snapshot)
    payment.refresh_from_db()
    assert payment.flagged_reason == "Refunds (150.00 USD) exceed the payment (100.00 USD)."


def test_the_overpaid_warning_shows_the_currencys_places(owner, gateway, api_client, checkout, caplog):
    invoice = InvoiceFactory(owner=owner, currency="JPY", items=[("Work", 1, "5000")])
    from payments.factories import sandbox_config

    second = sandbox_config(owner=owner)
    sessions = [
        api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id), **extra}, format="json").json()
        for extra in ({}, {"gateway_config_id": str(second.pk)})
    ]
    with caplog.at_level(logging.WARNING, logger="payments.transitions"):
        for session in sessions:
            checkout.pay(session["checkout_url"])
    assert f"Invoice {invoice.pk} is overpaid by 5000 JPY" in caplog.text


def test_the_demo_banner_shows_two_decimals_on_every_run(db):
    for _ in range(2):  # the second run reads the total back from the database (3 stored places)
        out = StringIO()
        call_command("seed_demo", "--password", "demo-pass-123", stdout=out, stderr=StringIO())
        assert "(3290.00 USD), public payment link" in out.getvalue()
        assert "3290.000" not in out.getvalue()
