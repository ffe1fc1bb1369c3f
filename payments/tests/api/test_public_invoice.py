"""GET /api/payment/public/invoice/<id>/: what anyone holding the link sees."""

from __future__ import annotations

import pytest

from accounts.models import BusinessProfile
from invoices.factories import InvoiceFactory

pytestmark = pytest.mark.django_db
CONTRACT_FIELDS = {
    "invoice_id", "number", "issuer_name", "client_name", "currency", "items", "total", "amount_paid", "amount_due",
    "amount_credited", "status", "due_date", "payable", "allow_partial_payments",
    # Beyond the contract: what was refunded, so the client sees why less is due.
    "amount_refunded", "refunds",
    # For the page's own words and checks: the status in words, the currency's decimal places.
    "status_display", "currency_exponent",
    # The business profile's public face: name, contact email, address, tax id, logo, colour.
    "issuer",
}
# The invoice with its owner's profile, its items, its refunds, and the visit written on the
# owner's timeline (one read, one write).
QUERIES = 6


def test_public_view_shows_only_the_contract_fields(api_client, invoice, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES):
        response = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == CONTRACT_FIELDS
    assert (body["total"], body["amount_due"], body["payable"], body["issuer_name"]) == ("100.00", "100.00", True, "")
    assert (body["amount_credited"], body["amount_refunded"], body["refunds"]) == ("0.00", "0.00", [])
    assert body["items"] == [{"description": "Design work", "quantity": "4", "unit_price": "25.00", "amount": "100.00"}]
    text = response.content.decode()
    assert invoice.client_email not in text and invoice.owner.email not in text


def test_query_count_does_not_grow_with_items(api_client, owner, gateway, django_assert_max_num_queries):
    invoice = InvoiceFactory(owner=owner, items=[(f"Line {n}", 1, "1.00") for n in range(40)])
    with django_assert_max_num_queries(QUERIES):
        assert len(api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/").json()["items"]) == 40


@pytest.mark.parametrize("status", ["draft", "void", "paid"])
def test_not_payable_invoices_answer_200_with_payable_false(api_client, owner, status):
    invoice = InvoiceFactory(owner=owner, status=status)
    body = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/").json()
    assert (body["payable"], body["status"]) == (False, status)


def test_after_payment_the_public_view_shows_paid(api_client, invoice, pay):
    pay(invoice)
    body = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/").json()
    assert (body["status"], body["amount_paid"], body["amount_due"], body["payable"]) == ("paid", "100.00", "0.00", False)


def test_unknown_invoice_is_404(api_client, db):
    response = api_client.get("/api/payment/public/invoice/6b0f6a8e-7a4e-4c55-9d0b-2a1f3c4d5e6f/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_kwd_amounts_keep_three_places(api_client, owner):
    invoice = InvoiceFactory(owner=owner, currency="KWD", items=[("Work", 3, "33.333")])
    body = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/").json()
    assert (body["total"], body["items"][0]["unit_price"]) == ("99.999", "33.333")


def test_issuer_is_the_business_name_never_the_username_or_the_accounts_name(api_client, owner, gateway):
    owner.first_name, owner.last_name = "Ada", "Lovelace"
    owner.save()
    BusinessProfile.objects.create(user=owner, business_name="Analytical Engines Ltd")
    invoice = InvoiceFactory(owner=owner)
    response = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/")
    assert response.json()["issuer_name"] == "Analytical Engines Ltd"
    text = response.content.decode()
    assert owner.username not in text and "Lovelace" not in text and owner.email not in text


def test_without_a_name_there_is_no_from_line_rather_than_the_username(api_client, owner, gateway):
    owner.first_name = owner.last_name = ""
    owner.username = "walker_8ad48b28"
    owner.save()
    invoice = InvoiceFactory(owner=owner)
    response = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/")
    assert response.json()["issuer_name"] == ""
    text = response.content.decode()
    assert "walker_8ad48b28" not in text and owner.email not in text


def test_refunds_and_credits_are_shown_to_the_client(api_client, owner_client, owner, gateway, pay, django_assert_max_num_queries):
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "319.99")])
    payment_id = pay(invoice)
    for body in ({"amount": "100.00", "reason": "Private note: late delivery"}, {"amount": "19.99", "invoice_effect": "reopen"}):
        assert owner_client.post(f"/api/payment/refund/{payment_id}/", body, format="json").status_code == 201
    with django_assert_max_num_queries(QUERIES):
        response = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/")
    body = response.json()
    assert (body["status"], body["amount_paid"], body["amount_refunded"], body["amount_credited"], body["amount_due"]) == (
        "partially_paid", "200.00", "119.99", "100.00", "19.99"
    )
    assert [(r["amount"], r["currency"], r["status"], r["invoice_effect"]) for r in body["refunds"]] == [
        ("100.00", "USD", "succeeded", "credit"),
        ("19.99", "USD", "succeeded", "reopen"),
    ]
    assert "Private note" not in response.content.decode()


def test_failed_refunds_are_not_shown_to_the_client(api_client, owner_client, invoice, pay, monkeypatch):
    from payments.errors import GatewayError
    from payments.gateways.sandbox import SandboxGateway

    payment_id = pay(invoice)
    monkeypatch.setattr(SandboxGateway, "refund", lambda self, request: (_ for _ in ()).throw(GatewayError("Down.")))
    assert owner_client.post(f"/api/payment/refund/{payment_id}/", {"amount": "10.00"}, format="json").status_code == 502
    body = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/").json()
    assert (body["refunds"], body["amount_credited"], body["amount_due"], body["status"]) == ([], "0.00", "0.00", "paid")
