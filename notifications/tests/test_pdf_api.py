"""Invoice PDFs: the owner's download and the client's, by the public link."""

from __future__ import annotations

import pytest

from accounts.factories import UserFactory
from invoices.factories import InvoiceFactory
from invoices.links import regenerate_link, revoke_link
from notifications.tests.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_the_owner_downloads_the_invoice_pdf(owner_client, invoice):
    response = owner_client.get(f"/api/invoices/{invoice.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="invoice-INV-0042.pdf"'
    text = pdf_text(response.content)
    assert "Invoice INV-0042" in text and "Globex" in text and "Design work" in text
    assert "25.00 USD" in text and "100.00 USD" in text and "Acme Studio" in text
    assert "owner-login-name" not in text and "owner-account@example.com" not in text


@pytest.mark.parametrize(
    ("currency", "unit_price", "total"),
    [("JPY", "1500", "4500 JPY"), ("KWD", "1.250", "3.750 KWD"), ("EUR", "10.5", "31.50 EUR")],
)
def test_money_has_the_currencys_decimal_places(owner, owner_client, currency, unit_price, total):
    invoice = InvoiceFactory(owner=owner, currency=currency, items=[("Work", 3, unit_price)])

    text = pdf_text(owner_client.get(f"/api/invoices/{invoice.pk}/pdf/").content)

    assert total in text


def test_the_client_gets_the_pdf_by_the_public_link(api_client, invoice):
    response = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/pdf/")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "INV-0042" in pdf_text(response.content)
    # The internal id is not a public link.
    assert api_client.get(f"/api/payment/public/invoice/{invoice.pk}/pdf/").status_code == 404


def test_a_revoked_or_replaced_link_answers_410(api_client, invoice):
    old = invoice.public_id
    revoke_link(invoice=invoice)
    gone = api_client.get(f"/api/payment/public/invoice/{old}/pdf/")
    assert gone.status_code == 410 and gone.json()["code"] == "link_revoked"

    invoice = regenerate_link(invoice=invoice)
    assert api_client.get(f"/api/payment/public/invoice/{old}/pdf/").status_code == 410
    assert api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/pdf/").status_code == 200


def test_another_owners_pdf_is_404_and_anonymous_401(api_client, invoice):
    assert api_client.get(f"/api/invoices/{invoice.pk}/pdf/").status_code == 401
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"/api/invoices/{invoice.pk}/pdf/").status_code == 404


def test_without_weasyprint_the_pdf_is_a_clear_503(owner_client, invoice, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    response = owner_client.get(f"/api/invoices/{invoice.pk}/pdf/")

    assert response.status_code == 503
    assert response.json()["code"] == "pdf_unavailable"
    assert "libpango" in response.json()["details"]["missing"]


def test_receipts_of_paid_payments_for_the_owner_and_the_client(owner_client, api_client, invoice, pay):
    payment_id = pay(invoice)

    owner_copy = owner_client.get(f"/api/invoices/{invoice.pk}/receipts/{payment_id}/pdf/")
    client_copy = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/receipts/{payment_id}/pdf/")

    for response in (owner_copy, client_copy):
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        assert "Receipt" in text and "INV-0042" in text and "100.00 USD" in text and "Acme Studio" in text
    revoke_link(invoice=invoice)
    gone = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/receipts/{payment_id}/pdf/")
    assert gone.status_code == 410


def test_no_receipt_for_an_unpaid_payment_or_another_invoice(owner, owner_client, api_client, invoice, pay):
    declined = pay(invoice, outcome="decline")
    other = InvoiceFactory(owner=owner)

    assert owner_client.get(f"/api/invoices/{invoice.pk}/receipts/{declined}/pdf/").status_code == 404
    paid = pay(invoice)
    assert owner_client.get(f"/api/invoices/{other.pk}/receipts/{paid}/pdf/").status_code == 404
    assert api_client.get(f"/api/payment/public/invoice/{other.public_id}/receipts/{paid}/pdf/").status_code == 404
