"""Sending, voiding and deleting invoices through the API."""

from __future__ import annotations

from decimal import Decimal

import pytest

from invoices.factories import InvoiceFactory
from invoices.models import Invoice, InvoiceStatus

pytestmark = pytest.mark.django_db


def url(invoice, action: str = "") -> str:
    return f"/api/invoices/{invoice.id}/{action + '/' if action else ''}"


def status_of(invoice) -> str:
    return Invoice.objects.get(pk=invoice.pk).status


def test_send_makes_a_draft_payable(owner_client, owner):
    draft = InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT)

    response = owner_client.post(url(draft, "send"))

    assert response.status_code == 200
    assert response.json()["status"] == "sent"
    assert response.json()["amount_due"] == "100.00"
    assert status_of(draft) == "sent"


def test_send_an_empty_draft_is_refused(owner_client, owner):
    draft = InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT, items=[])

    response = owner_client.post(url(draft, "send"))

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_empty"
    assert status_of(draft) == "draft"


def test_send_a_draft_of_free_items_is_refused(owner_client, owner):
    draft = InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT, items=[("Goodwill", 1, "0.00")])

    response = owner_client.post(url(draft, "send"))

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_empty"


@pytest.mark.parametrize("status", ["sent", "partially_paid", "paid", "void"])
def test_send_anything_but_a_draft_is_refused(owner_client, owner, status):
    invoice = InvoiceFactory(owner=owner, status=status)

    response = owner_client.post(url(invoice, "send"))

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_not_draft"
    assert status_of(invoice) == status


@pytest.mark.parametrize("status", ["draft", "sent"])
def test_void(owner_client, owner, status):
    invoice = InvoiceFactory(owner=owner, status=status)

    response = owner_client.post(url(invoice, "void"))

    assert response.status_code == 200
    assert response.json()["status"] == "void"
    assert status_of(invoice) == "void"


def test_void_twice_changes_nothing(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, status=InvoiceStatus.VOID)
    before = Invoice.objects.get(pk=invoice.pk).updated_at

    response = owner_client.post(url(invoice, "void"))

    assert response.status_code == 200
    assert response.json()["status"] == "void"
    assert Invoice.objects.get(pk=invoice.pk).updated_at == before


@pytest.mark.parametrize(("status", "paid"), [("partially_paid", "40.00"), ("paid", "100.00")])
def test_void_with_money_received_is_refused(owner_client, owner, status, paid):
    invoice = InvoiceFactory(owner=owner, status=status, amount_paid=Decimal(paid))

    response = owner_client.post(url(invoice, "void"))

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_has_payments"
    assert response.json()["message"] == f"This invoice holds {paid} USD that was not refunded; refund it before voiding."
    assert status_of(invoice) == status


def test_void_after_a_full_refund(owner_client, owner):
    # Paid then refunded in full: amount_paid is back to 0 and the invoice is "sent" again.
    invoice = InvoiceFactory(owner=owner, status=InvoiceStatus.SENT, amount_refunded=Decimal("100.00"))

    response = owner_client.post(url(invoice, "void"))

    assert response.status_code == 200
    assert response.json()["status"] == "void"
    assert response.json()["amount_refunded"] == "100.00"


def test_delete_a_draft(owner_client, owner):
    draft = InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT)

    response = owner_client.delete(url(draft))

    assert response.status_code == 204
    assert not Invoice.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("status", ["sent", "partially_paid", "paid", "void"])
def test_delete_anything_but_a_draft_is_refused(owner_client, owner, status):
    invoice = InvoiceFactory(owner=owner, status=status)

    response = owner_client.delete(url(invoice))

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_not_deletable"
    assert Invoice.objects.filter(pk=invoice.pk).exists()
