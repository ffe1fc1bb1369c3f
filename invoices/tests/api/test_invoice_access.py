"""Only the owner sees or touches an invoice: others get 404, anonymous callers 401."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from accounts.tokens import issue_token
from invoices.factories import InvoiceFactory
from invoices.models import Invoice, InvoiceStatus

pytestmark = pytest.mark.django_db

ITEMS = [{"description": "Hack", "quantity": "1", "unit_price": "1.00"}]
VERBS = [
    ("get", "", None),
    ("patch", "", {"client_name": "Hijacked"}),
    ("patch", "", {"items": ITEMS}),
    ("delete", "", None),
    ("post", "send/", None),
    ("post", "void/", None),
]


def snapshot(invoice) -> tuple:
    fresh = Invoice.objects.get(pk=invoice.pk)
    return (fresh.status, fresh.client_name, fresh.total, fresh.updated_at, fresh.items.count())


@pytest.mark.parametrize("status", ["draft", "sent"])
@pytest.mark.parametrize(("verb", "suffix", "body"), VERBS)
def test_another_users_invoice_is_not_found(stranger_client, owner, status, verb, suffix, body):
    invoice = InvoiceFactory(owner=owner, status=status)
    before = snapshot(invoice)

    response = getattr(stranger_client, verb)(f"/api/invoices/{invoice.id}/{suffix}", body, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert snapshot(invoice) == before


@pytest.mark.parametrize(("verb", "suffix", "body"), VERBS)
def test_an_unknown_invoice_is_not_found(owner_client, verb, suffix, body):
    response = getattr(owner_client, verb)(f"/api/invoices/{uuid.uuid4()}/{suffix}", body, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_users_invoices_are_not_listed(stranger_client, stranger, owner):
    InvoiceFactory(owner=owner)
    mine = InvoiceFactory(owner=stranger)

    body = stranger_client.get("/api/invoices/").json()

    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [str(mine.id)]


@pytest.mark.parametrize(("verb", "suffix", "body"), [*VERBS, ("get", None, None), ("post", None, {"client_name": "x"})])
def test_anonymous_callers_get_401(api_client, owner, verb, suffix, body):
    invoice = InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT)
    path = "/api/invoices/" if suffix is None else f"/api/invoices/{invoice.id}/{suffix}"
    before = snapshot(invoice)

    response = getattr(api_client, verb)(path, body, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert Invoice.objects.count() == 1
    assert snapshot(invoice) == before


def test_a_bad_token_gets_401(owner):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get("/api/invoices/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_authentication_works(owner):
    invoice = InvoiceFactory(owner=owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(owner)[1]}")

    listed = client.get("/api/invoices/")
    created = client.post("/api/invoices/", {"client_name": "Scripted"}, format="json")

    assert listed.status_code == 200
    assert listed.json()["results"][0]["id"] == str(invoice.id)
    assert created.status_code == 201
    assert Invoice.objects.get(pk=created.json()["id"]).owner == owner
