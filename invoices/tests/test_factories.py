"""The factories other apps' tests build on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.factories import PASSWORD, UserFactory
from invoices.factories import InvoiceFactory, InvoiceItemFactory
from invoices.models import InvoiceStatus

pytestmark = pytest.mark.django_db


def test_user_can_log_in_with_the_known_password(api_client):
    user = UserFactory()

    response = api_client.post("/api/auth/login/", {"username": user.username, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert user.email.endswith("@example.com")


def test_invoice_defaults_to_a_sent_100_usd_invoice():
    invoice = InvoiceFactory()

    invoice.refresh_from_db()
    assert (invoice.status, invoice.currency, invoice.total) == (InvoiceStatus.SENT, "USD", Decimal("100.00"))
    assert invoice.number.startswith("INV-")
    assert [(i.description, i.amount) for i in invoice.items.all()] == [("Consulting", Decimal("100.00"))]


def test_invoice_items_set_the_total():
    invoice = InvoiceFactory(currency="KWD", items=[("Audit", 3, "33.333"), ("Fee", "0.5", "1.000")])

    invoice.refresh_from_db()
    assert invoice.total == Decimal("100.499")


def test_item_factory_computes_its_amount():
    item = InvoiceItemFactory(quantity=Decimal(3), unit_price=Decimal("2.50"))

    assert item.amount == Decimal("7.50")
    assert item.invoice.items.count() == 1
