"""Receipts, refund notices and the owner's notices, following real payments in the sandbox."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from invoices.factories import InvoiceFactory
from notifications.models import EmailMessageLog, NotificationPreferences
from notifications.tests.conftest import html_part, pdf_attachments, pdf_text
from payments.models import InvoicePayment, PaymentDispute
from payments.services import PaymentService
from payments.signals import dispute_changed

pytestmark = pytest.mark.django_db


def _by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_a_payment_sends_the_payer_a_receipt_and_tells_the_owner(invoice, pay):
    pay(invoice)

    sent = _by_recipient()
    assert set(sent) == {"client@example.com", "owner-account@example.com"}
    receipt = sent["client@example.com"]
    assert receipt.subject == "Receipt for your payment of 100.00 USD to Acme Studio"
    assert "100.00 USD" in receipt.body and "INV-0042" in html_part(receipt)
    [(filename, data)] = pdf_attachments(receipt)
    assert filename.startswith("receipt-INV-0042-")
    text = pdf_text(data)
    assert "Receipt" in text and "INV-0042" in text and "100.00 USD" in text and "Acme Studio" in text
    owner_notice = sent["owner-account@example.com"]
    assert owner_notice.subject == "Payment received: 100.00 USD for invoice INV-0042"
    assert f"/invoices/{invoice.pk}" in owner_notice.body
    assert set(EmailMessageLog.objects.values_list("kind", "status")) == {
        ("receipt", "sent"),
        ("owner_payment", "sent"),
    }


def test_a_declined_payment_tells_the_owner_only(invoice, pay):
    pay(invoice, outcome="decline")

    [notice] = mail.outbox
    assert notice.to == ["owner-account@example.com"]
    assert notice.subject == "Payment failed: 100.00 USD for invoice INV-0042"


def test_switched_off_notices_are_not_sent(owner, invoice, pay):
    NotificationPreferences.objects.create(user=owner, notify_payment_succeeded=False, send_receipts=False)

    pay(invoice)

    assert mail.outbox == [] and not EmailMessageLog.objects.exists()


def test_a_refund_tells_the_payer_and_the_owner(owner, invoice, pay, django_capture_on_commit_callbacks):
    payment_id = pay(invoice)
    mail.outbox.clear()
    payment = InvoicePayment.objects.get(pk=payment_id)

    with django_capture_on_commit_callbacks(execute=True):
        PaymentService().refund(payment=payment, amount=Decimal("40.00"), reason="Partly cancelled", user=owner)

    sent = _by_recipient()
    assert sent["client@example.com"].subject == "Acme Studio refunded 40.00 USD"
    assert "40.00 USD" in sent["client@example.com"].body
    assert sent["owner-account@example.com"].subject == "Refund of 40.00 USD for invoice INV-0042"
    assert "Partly cancelled" in sent["owner-account@example.com"].body


def test_a_dispute_tells_the_owner(invoice, pay, django_capture_on_commit_callbacks):
    payment = InvoicePayment.objects.get(pk=pay(invoice))
    mail.outbox.clear()
    dispute = PaymentDispute.objects.create(
        payment=payment, gateway_dispute_id="dp_1", amount=Decimal("100.00"), currency="USD", reason="fraudulent"
    )

    with django_capture_on_commit_callbacks(execute=True):
        dispute_changed.send(sender=PaymentDispute, dispute=dispute, previous=None)

    [notice] = mail.outbox
    assert notice.to == ["owner-account@example.com"]
    assert notice.subject == "Dispute of 100.00 USD on invoice INV-0042"


def test_amounts_follow_the_currency(owner, gateway, pay):
    yen = InvoiceFactory(owner=owner, currency="JPY", client_email="c@example.com", items=[("Tea", 3, "1500")])

    pay(yen)

    receipt = _by_recipient()["c@example.com"]
    assert "4500 JPY" in receipt.subject
    assert "4500 JPY" in pdf_text(pdf_attachments(receipt)[0][1])


def test_a_lost_dispute_tells_the_owner_the_outcome(invoice, pay, django_capture_on_commit_callbacks):
    payment = InvoicePayment.objects.get(pk=pay(invoice))
    mail.outbox.clear()
    dispute = PaymentDispute.objects.create(
        payment=payment, gateway_dispute_id="dp_2", amount=Decimal("100.00"), currency="USD", status="lost"
    )

    with django_capture_on_commit_callbacks(execute=True):
        dispute_changed.send(sender=PaymentDispute, dispute=dispute, previous="under_review")
        dispute_changed.send(sender=PaymentDispute, dispute=dispute, previous="lost")

    assert [m.subject for m in mail.outbox] == ["Dispute lost: 100.00 USD on invoice INV-0042"]
