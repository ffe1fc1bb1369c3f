"""Fixtures for the payment tests: an owner with a sandbox gateway, clients, and the checkout."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from invoices.factories import InvoiceFactory
from payments.factories import sandbox_config


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def owner_client(owner) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def gateway(owner):
    return sandbox_config(owner=owner)


@pytest.fixture
def invoice(owner, gateway):
    """A sent 100.00 USD invoice whose owner has a sandbox gateway."""
    return InvoiceFactory(owner=owner, items=[("Design work", 4, "25.00")])


@dataclass
class Checkout:
    """Drives the sandbox's hosted checkout page as a payer's browser would."""

    client: Client

    def pay(self, checkout_url: str, outcome: str = "pay"):  # type: ignore[no-untyped-def]
        path = re.sub(r"^https?://[^/]+", "", checkout_url)
        page = self.client.get(path)
        assert page.status_code == 200, page.content
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
        return self.client.post(path, {"outcome": outcome, "csrfmiddlewaretoken": token})


@pytest.fixture
def checkout() -> Checkout:
    return Checkout(Client(enforce_csrf_checks=True))


@pytest.fixture
def pay(api_client, checkout):
    """Open a checkout for an invoice (optionally for an amount) and complete it in the sandbox."""

    def _pay(invoice, amount=None, outcome="pay"):  # type: ignore[no-untyped-def]
        body = {"invoice_id": str(invoice.public_id)}
        if amount is not None:
            body["amount"] = amount
        session = api_client.post("/api/payment/create-session/", body, format="json")
        assert session.status_code in (200, 201), session.json()
        checkout.pay(session.json()["checkout_url"], outcome)
        return session.json()["payment_id"]

    return _pay
