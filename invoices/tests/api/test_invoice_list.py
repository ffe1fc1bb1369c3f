"""The invoice list: pagination, newest first, status filter and a fixed query count."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.tokens import issue_token
from invoices.factories import InvoiceFactory
from invoices.models import InvoiceStatus

pytestmark = pytest.mark.django_db

URL = "/api/invoices/"


def test_newest_first_and_paginated(owner_client, owner):
    invoices = [InvoiceFactory(owner=owner) for _ in range(25)]

    first = owner_client.get(URL).json()
    second = owner_client.get(first["next"]).json()

    assert first["count"] == 25
    assert first["previous"] is None
    assert len(first["results"]) == 20
    assert len(second["results"]) == 5
    assert second["next"] is None
    listed = [row["id"] for row in first["results"] + second["results"]]
    assert listed == [str(invoice.id) for invoice in reversed(invoices)]


def test_page_size_can_be_chosen(owner_client, owner):
    for _ in range(3):
        InvoiceFactory(owner=owner)

    body = owner_client.get(URL, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2


def test_rows_have_the_invoice_fields(owner_client, owner):
    InvoiceFactory(owner=owner, currency="JPY", items=[("Tea", 2, "450")])

    row = owner_client.get(URL).json()["results"][0]

    assert row["total"] == "900"
    assert row["items"] == [{"description": "Tea", "quantity": "2", "unit_price": "450", "amount": "900"}]
    assert row["payment_url"].endswith(f"/pay/{row['public_id']}") and row["public_id"] != row["id"]


def test_filter_by_status(owner_client, owner):
    InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT)
    paid = InvoiceFactory(owner=owner, status=InvoiceStatus.PAID)

    body = owner_client.get(URL, {"status": "paid"}).json()

    assert body["count"] == 1
    assert body["results"][0]["id"] == str(paid.id)


def test_unknown_status_filter_is_invalid(owner_client):
    response = owner_client.get(URL, {"status": "lost"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "status" in response.json()["details"]


def test_empty_list(owner_client):
    assert owner_client.get(URL).json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize("how_many", [3, 30])
def test_query_count_does_not_grow_with_the_invoices(owner, how_many, django_assert_max_num_queries):
    for _ in range(how_many):
        InvoiceFactory(owner=owner, items=[("A", 1, "1.00"), ("B", 2, "2.00")])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(owner)[1]}")

    # Token lookup, count, page of invoices, their items.
    with django_assert_max_num_queries(4):
        response = client.get(URL, {"page_size": 100})

    assert response.status_code == 200
    assert len(response.json()["results"]) == how_many
    assert all(len(row["items"]) == 2 for row in response.json()["results"])


def test_one_invoice_reads_in_a_fixed_number_of_queries(owner_client, owner, django_assert_max_num_queries):
    invoice = InvoiceFactory(owner=owner, items=[(f"Line {n}", 1, "1.00") for n in range(20)])

    with django_assert_max_num_queries(2):
        response = owner_client.get(f"{URL}{invoice.id}/")

    assert len(response.json()["items"]) == 20
