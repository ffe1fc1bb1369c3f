"""The owner's invoice list: a fixed number of queries per page, and the same body as the serializer.

The list is built by prepared queries and ``invoice_data`` (a plain dict per invoice) instead of
``InvoiceSerializer``; these tests hold the two to the same output, field for field, so a field
added to the serializer cannot silently go missing from the list, and they count the queries.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from invoices.api.serializers import InvoiceSerializer
from invoices.factories import InvoiceFactory
from invoices.models import Invoice, InvoiceStatus

URL = "/api/invoices/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def client(owner) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


def _varied_invoices(owner) -> list[Invoice]:  # type: ignore[no-untyped-def]
    """Invoices that exercise every kind of field: currencies with 0, 2 and 3 places, dates
    set and not, a draft, a part-paid one with a credit, an expiring and a revoked link."""
    invoices = [
        InvoiceFactory(owner=owner, items=[("Tea", 2, "450")], currency="JPY", notes="Two boxes"),
        InvoiceFactory(owner=owner, items=[("Audit", "1.5", "100.125")], currency="KWD", status=InvoiceStatus.DRAFT),
        InvoiceFactory(owner=owner, items=[], client_email="", due_date=None),
        InvoiceFactory(
            owner=owner,
            items=[("Design", 3, "33.33"), ("Hosting", 1, "10.00")],
            due_date=datetime.date(2031, 1, 31),
            allow_partial_payments=True,
        ),
    ]
    Invoice.objects.filter(pk=invoices[3].pk).update(
        status=InvoiceStatus.PARTIALLY_PAID, amount_paid=Decimal("50.00"), amount_refunded=Decimal("5.00"),
        amount_credited=Decimal("5.00"), link_expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    Invoice.objects.filter(pk=invoices[2].pk).update(link_enabled=False)
    return invoices


def test_each_row_is_what_the_invoice_serializer_gives(client, owner):
    _varied_invoices(owner)
    rows = client.get(URL).json()["results"]
    expected = [InvoiceSerializer(invoice).data for invoice in Invoice.objects.filter(owner=owner).order_by("-created_at", "-id")]
    assert len(rows) == 4
    for row, want in zip(rows, expected, strict=True):
        # Same fields in the same order, same values (JSON round trip on both sides).
        assert list(row) == list(want)
        assert row == _json(want)


def test_the_amounts_keep_each_currencys_places(client, owner):
    _varied_invoices(owner)
    rows = {row["currency"]: row for row in client.get(URL).json()["results"]}
    assert rows["JPY"]["total"] == "900"
    assert rows["JPY"]["items"] == [{"description": "Tea", "quantity": "2", "unit_price": "450", "amount": "900"}]
    assert rows["KWD"]["items"][0] == {"description": "Audit", "quantity": "1.5", "unit_price": "100.125", "amount": "150.188"}


def test_a_page_costs_the_same_queries_with_20_or_100_invoices_on_it(client, owner, django_assert_num_queries):
    for _ in range(101):
        InvoiceFactory(owner=owner, items=[("Work", 1, "10.00"), ("More", 2, "5.00")])
    InvoiceFactory(items=[("Someone else's", 1, "1.00")])
    # count, the page, the page's items
    with django_assert_num_queries(3):
        body = client.get(URL).json()
    assert body["count"] == 101 and len(body["results"]) == 20
    assert body["next"].endswith("/api/invoices/?page=2")
    with django_assert_num_queries(3):
        body = client.get(URL, {"page_size": 100, "page": 2}).json()
    assert len(body["results"]) == 1 and body["previous"].endswith("page_size=100")
    assert all(len(row["items"]) == 2 for row in client.get(URL, {"page_size": 100}).json()["results"])


def test_the_status_filter_and_an_empty_list(client, owner, django_assert_num_queries):
    _varied_invoices(owner)
    drafts = client.get(URL, {"status": "draft"}).json()
    assert drafts["count"] == 1 and drafts["results"][0]["currency"] == "KWD"
    with django_assert_num_queries(1):  # count only: an empty page reads nothing else
        assert client.get(URL, {"status": "void"}).json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert client.get(URL, {"page": 9}).status_code == 404


def test_another_owners_invoices_never_appear(client, owner):
    InvoiceFactory(owner=owner)
    InvoiceFactory()
    assert [row["id"] for row in client.get(URL).json()["results"]] == [str(Invoice.objects.get(owner=owner).id)]


def _json(data):  # type: ignore[no-untyped-def]
    import json

    from rest_framework.utils.encoders import JSONEncoder

    return json.loads(json.dumps(data, cls=JSONEncoder))
