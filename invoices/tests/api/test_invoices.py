"""Creating, reading and changing invoices through /api/invoices/."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from invoices.factories import InvoiceFactory
from invoices.models import Invoice, InvoiceStatus

pytestmark = pytest.mark.django_db

URL = "/api/invoices/"
CONTRACT_FIELDS = {
    "id", "number", "client_name", "client_email", "currency", "issue_date", "due_date", "status", "items",
    "total", "amount_paid", "amount_refunded", "amount_due", "allow_partial_payments", "payment_url", "created_at",
    "public_id", "link_enabled", "link_expires_at",
}  # fmt: skip


def detail(invoice) -> str:
    return f"{URL}{invoice.id}/"


def create(client, **body):
    body.setdefault("client_name", "Acme Ltd")
    return client.post(URL, body, format="json")


def test_create_returns_a_draft_with_computed_amounts(owner_client, owner, settings):
    settings.PUBLIC_BASE_URL = "https://pay.example.com"
    response = create(
        owner_client,
        client_email="ap@acme.example",
        currency="usd",
        due_date="2030-01-31",
        items=[
            {"description": "Design", "quantity": "10", "unit_price": "120.50"},
            {"description": "Hosting", "quantity": "1.5", "unit_price": "9.99"},
        ],
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert CONTRACT_FIELDS <= set(body)
    assert body["status"] == "draft"
    assert body["currency"] == "USD"
    assert body["number"] == "INV-0001"
    assert body["issue_date"] == timezone.localdate().isoformat()
    assert body["due_date"] == "2030-01-31"
    assert body["items"] == [
        {"description": "Design", "quantity": "10", "unit_price": "120.50", "amount": "1205.00"},
        {"description": "Hosting", "quantity": "1.5", "unit_price": "9.99", "amount": "14.99"},
    ]
    assert body["total"] == "1219.99"
    assert body["amount_paid"] == "0.00"
    assert body["amount_refunded"] == "0.00"
    assert body["amount_due"] == "1219.99"
    assert body["allow_partial_payments"] is False
    assert body["payment_url"] == f"https://pay.example.com/pay/{body['public_id']}"
    invoice = Invoice.objects.get(pk=body["id"])
    assert invoice.owner == owner
    assert invoice.total == Decimal("1219.99")


@pytest.mark.parametrize(
    ("currency", "quantity", "unit_price", "amount"),
    [
        ("USD", "3", "33.33", "99.99"),
        ("USD", "0.333", "10.00", "3.33"),
        ("JPY", "2", "500", "1000"),
        ("JPY", "1.5", "333", "500"),
        ("KWD", "3", "33.333", "99.999"),
        ("KWD", "1", "1.25", "1.250"),
    ],
)
def test_amounts_have_exactly_the_currency_decimals(owner_client, currency, quantity, unit_price, amount):
    response = create(
        owner_client, currency=currency, items=[{"description": "x", "quantity": quantity, "unit_price": unit_price}]
    )

    assert response.status_code == 201, response.json()
    assert response.json()["items"][0]["amount"] == amount
    assert response.json()["total"] == amount
    assert response.json()["amount_due"] == amount


def test_client_sent_totals_and_status_are_ignored(owner_client):
    response = create(
        owner_client,
        total="1.00",
        status="paid",
        amount_paid="5.00",
        items=[{"description": "Work", "quantity": "2", "unit_price": "50.00", "amount": "1.00"}],
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["total"], body["status"], body["amount_paid"]) == ("100.00", "draft", "0.00")
    assert body["items"][0]["amount"] == "100.00"


def test_create_without_items_is_an_empty_draft(owner_client):
    response = create(owner_client)

    assert response.status_code == 201
    assert response.json()["items"] == []
    assert response.json()["total"] == "0.00"
    assert response.json()["currency"] == "USD"


def test_numbers_follow_the_owners_highest_number(owner_client, owner, stranger):
    InvoiceFactory(owner=owner, number="INV-0007")
    InvoiceFactory(owner=owner, number="2026/001")
    InvoiceFactory(owner=stranger, number="INV-0042")

    first = create(owner_client).json()["number"]
    second = create(owner_client).json()["number"]

    assert (first, second) == ("INV-0008", "INV-0009")


def test_a_given_number_is_kept(owner_client):
    response = create(owner_client, number="ACME-17")

    assert response.status_code == 201
    assert response.json()["number"] == "ACME-17"


def test_duplicate_number_for_the_same_owner_is_invalid(owner_client, owner, stranger):
    InvoiceFactory(owner=owner, number="INV-0001")
    InvoiceFactory(owner=stranger, number="ACME-1")

    duplicate = create(owner_client, number="INV-0001")
    someone_elses = create(owner_client, number="ACME-1")

    assert duplicate.status_code == 400
    assert duplicate.json()["code"] == "invalid"
    assert "number" in duplicate.json()["details"]
    assert someone_elses.status_code == 201
    assert Invoice.objects.filter(owner=owner).count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"client_name": ""}, "client_name"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "dollars"}, "currency"),
        ({"client_email": "not-an-email"}, "client_email"),
        ({"issue_date": "2030-02-01", "due_date": "2030-01-01"}, "due_date"),
        ({"items": "nope"}, "items"),
    ],
)
def test_invalid_fields_are_named(owner_client, body, field):
    response = create(owner_client, **body)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["details"]
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    ("currency", "item", "field"),
    [
        ("USD", {"unit_price": "1.001"}, "unit_price"),
        ("JPY", {"unit_price": "10.5"}, "unit_price"),
        ("KWD", {"unit_price": "1.0001"}, "unit_price"),
        ("USD", {"unit_price": "NaN"}, "unit_price"),
        ("USD", {"unit_price": "Infinity"}, "unit_price"),
        ("USD", {"unit_price": "ten"}, "unit_price"),
        ("USD", {"unit_price": 10.505}, "unit_price"),
        ("USD", {"unit_price": True}, "unit_price"),
        ("USD", {"unit_price": "-1.00"}, "unit_price"),
        ("USD", {"unit_price": "1e14"}, "unit_price"),
        ("USD", {"quantity": "0"}, "quantity"),
        ("USD", {"quantity": "-2"}, "quantity"),
        ("USD", {"quantity": "1.0001"}, "quantity"),
        ("USD", {"quantity": "NaN"}, "quantity"),
        ("USD", {"description": ""}, "description"),
    ],
)
def test_invalid_items_point_at_the_item_field(owner_client, currency, item, field):
    good = {"description": "Fine", "quantity": "1", "unit_price": "1"}
    bad = {**good, **item}

    response = create(owner_client, currency=currency, items=[good, bad])

    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["details"]["items"]) == ["1"]  # errors keyed by the item's index
    assert field in body["details"]["items"]["1"]
    assert not Invoice.objects.exists()


def test_integer_prices_are_accepted(owner_client):
    response = create(owner_client, items=[{"description": "x", "quantity": 2, "unit_price": 15}])

    assert response.status_code == 201
    assert response.json()["total"] == "30.00"


def test_a_json_number_price_is_read_exactly_like_a_checkout_amount(owner_client):
    # One rule for every amount a client sends: JSON numbers are read as decimals, never floats.
    response = create(owner_client, items=[{"description": "x", "quantity": "3", "unit_price": 0.1}])

    assert response.status_code == 201, response.json()
    assert response.json()["items"][0]["unit_price"] == "0.10"
    assert response.json()["total"] == "0.30"


def test_a_huge_line_is_refused(owner_client):
    item = {"description": "x", "quantity": "999999999", "unit_price": "99999999.00"}

    response = create(owner_client, items=[item])

    assert response.status_code == 400
    assert "quantity" in response.json()["details"]["items"]["0"]


def test_at_most_100_items(owner_client):
    item = {"description": "x", "quantity": "1", "unit_price": "1.00"}

    accepted = create(owner_client, items=[item] * 100)
    refused = create(owner_client, items=[item] * 101)

    assert accepted.status_code == 201
    assert accepted.json()["total"] == "100.00"
    assert refused.status_code == 400
    assert "items" in refused.json()["details"]


def test_get_one_invoice(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, currency="KWD", items=[("Audit", 3, "33.333")])

    response = owner_client.get(detail(invoice))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(invoice.id)
    assert body["status"] == "sent"
    assert body["total"] == "99.999"
    assert body["items"] == [{"description": "Audit", "quantity": "3", "unit_price": "33.333", "amount": "99.999"}]


def test_amount_due_and_overpaid_follow_payments(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")], amount_paid=Decimal("130.00"))

    body = owner_client.get(detail(invoice)).json()

    assert body["amount_due"] == "0.00"
    assert body["amount_overpaid"] == "30.00"


def test_patch_a_draft_replaces_items_and_recomputes_the_total(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT)

    response = owner_client.patch(
        detail(invoice),
        {"currency": "jpy", "items": [{"description": "Tea", "quantity": "3", "unit_price": "450"}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["currency"] == "JPY"
    assert response.json()["total"] == "1350"
    invoice.refresh_from_db()
    assert invoice.total == Decimal(1350)
    assert [item.description for item in invoice.items.all()] == ["Tea"]


def test_patch_a_drafts_currency_alone_reprices_its_items(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT, items=[("Work", "0.5", "3.00")])

    response = owner_client.patch(detail(invoice), {"currency": "JPY"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["items"][0]["amount"] == "2"  # 1.5 rounds half up to 2 yen
    assert response.json()["total"] == "2"


def test_patch_currency_that_cannot_hold_the_prices_is_invalid(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT, items=[("Work", 1, "9.99")])

    response = owner_client.patch(detail(invoice), {"currency": "JPY"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "currency" in response.json()["details"]
    invoice.refresh_from_db()
    assert (invoice.currency, invoice.total) == ("USD", Decimal("9.99"))


def test_patch_prices_are_checked_against_the_invoices_currency(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT, currency="JPY", items=[("Tea", 1, "500")])

    response = owner_client.patch(
        detail(invoice), {"items": [{"description": "Tea", "quantity": "1", "unit_price": "5.50"}]}, format="json"
    )

    assert response.status_code == 400
    assert "unit_price" in response.json()["details"]["items"]["0"]


@pytest.mark.parametrize("status", ["sent", "partially_paid", "paid"])
@pytest.mark.parametrize(
    "change",
    [
        {"items": [{"description": "More", "quantity": "1", "unit_price": "999.00"}]},
        {"currency": "EUR"},
        {"number": "INV-9999"},
    ],
)
def test_patch_billing_fields_after_sending_is_refused(owner_client, owner, status, change):
    invoice = InvoiceFactory(owner=owner, status=status)

    response = owner_client.patch(detail(invoice), change, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_not_editable"
    invoice.refresh_from_db()
    assert (invoice.total, invoice.currency, invoice.items.count()) == (Decimal("100.00"), "USD", 1)


def test_patch_client_details_of_a_sent_invoice(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, status=InvoiceStatus.SENT)
    change = {
        "client_name": "Acme Holdings",
        "client_email": "pay@acme.example",
        "due_date": (invoice.issue_date + datetime.timedelta(days=30)).isoformat(),
        "notes": "Thanks!",
        "allow_partial_payments": True,
        "currency": "usd",  # unchanged: allowed
    }

    response = owner_client.patch(detail(invoice), change, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["client_name"] == "Acme Holdings"
    assert body["client_email"] == "pay@acme.example"
    assert body["notes"] == "Thanks!"
    assert body["allow_partial_payments"] is True
    assert body["status"] == "sent"
    assert body["total"] == "100.00"


def test_patch_a_void_invoice_is_refused(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, status=InvoiceStatus.VOID, client_name="Old")

    response = owner_client.patch(detail(invoice), {"client_name": "New"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_not_editable"
    invoice.refresh_from_db()
    assert invoice.client_name == "Old"


def test_patch_to_a_taken_number_is_invalid(owner_client, owner):
    InvoiceFactory(owner=owner, number="INV-0001")
    draft = InvoiceFactory(owner=owner, number="INV-0002", status=InvoiceStatus.DRAFT)

    response = owner_client.patch(detail(draft), {"number": "INV-0001"}, format="json")

    assert response.status_code == 400
    assert "number" in response.json()["details"]
    draft.refresh_from_db()
    assert draft.number == "INV-0002"


def test_patch_read_only_fields_are_ignored(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT)

    response = owner_client.patch(detail(invoice), {"total": "1.00", "status": "paid"}, format="json")

    assert response.status_code == 200
    assert (response.json()["total"], response.json()["status"]) == ("100.00", "draft")
