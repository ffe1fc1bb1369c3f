"""GET /api/payment/invoice/<id>/payments/: the owner's payment list, paginated like every list."""

from __future__ import annotations

import pytest

from invoices.factories import InvoiceFactory
from payments.factories import sandbox_config
from payments.models import InvoicePayment

pytestmark = pytest.mark.django_db


def _payments(invoice, how_many: int) -> list[InvoicePayment]:  # type: ignore[no-untyped-def]
    config = invoice.owner.gateway_configs.first() or sandbox_config(owner=invoice.owner)
    return [
        InvoicePayment.objects.create(
            invoice=invoice,
            gateway_config=config,
            gateway_name="sandbox",
            amount="1.00",
            currency=invoice.currency,
            idempotency_key=f"key-{invoice.pk}-{n}",
            status="failed",
        )
        for n in range(how_many)
    ]


def test_the_list_is_paginated(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")])
    _payments(invoice, 25)

    first = owner_client.get(f"/api/payment/invoice/{invoice.pk}/payments/").json()
    second = owner_client.get(f"/api/payment/invoice/{invoice.pk}/payments/", {"page": 2}).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), len(second["results"])) == (25, 20, 5)
    assert first["next"] and second["next"] is None
    ids = [p["payment_id"] for p in first["results"] + second["results"]]
    assert len(set(ids)) == 25


@pytest.mark.parametrize("how_many", [2, 60])
def test_the_query_count_does_not_grow_with_the_payments(owner_client, owner, how_many, django_assert_max_num_queries):
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")])
    _payments(invoice, how_many)

    # The invoice's owner, the count, the page, its refunds.
    with django_assert_max_num_queries(4):
        response = owner_client.get(f"/api/payment/invoice/{invoice.pk}/payments/", {"page_size": 100})

    assert response.status_code == 200
    assert len(response.json()["results"]) == how_many
