"""What the invoice API tells the web app, so the app keeps no copy of the server's rules:
the status in words, the actions allowed now and the currency's number of decimal places."""

from __future__ import annotations

import pytest

from invoices.factories import InvoiceFactory

pytestmark = pytest.mark.django_db

ACTIONS = ("can_send", "can_delete", "can_edit_items", "can_edit", "can_void")


def actions(body: dict) -> tuple[bool, ...]:
    return tuple(body[name] for name in ACTIONS)


@pytest.mark.parametrize(
    ("status", "words", "allowed"),
    [
        ("draft", "Draft", (True, True, True, True, False)),
        ("sent", "Sent", (False, False, False, True, True)),
        ("partially_paid", "Partially paid", (False, False, False, True, True)),
        ("paid", "Paid", (False, False, False, True, True)),
        ("void", "Void", (False, False, False, False, False)),
    ],
)
def test_each_status_says_what_the_owner_may_do(owner_client, owner, status, words, allowed):
    invoice = InvoiceFactory(owner=owner, status=status)
    body = owner_client.get(f"/api/invoices/{invoice.pk}/").json()
    assert (body["status_display"], actions(body)) == (words, allowed)
    assert body["payable"] is (status in ("sent", "partially_paid"))


def test_the_allowed_actions_match_what_the_api_accepts(owner_client, owner):
    draft = InvoiceFactory(owner=owner, status="draft")
    sent = InvoiceFactory(owner=owner, status="sent")
    for invoice in (draft, sent):
        body = owner_client.get(f"/api/invoices/{invoice.pk}/").json()
        edit = owner_client.patch(f"/api/invoices/{invoice.pk}/", {"currency": "EUR"}, format="json")
        assert (edit.status_code == 200) is body["can_edit_items"]
    sent_again = owner_client.post(f"/api/invoices/{sent.pk}/send/")
    deleted = owner_client.delete(f"/api/invoices/{sent.pk}/")
    assert (sent_again.status_code, deleted.status_code) == (409, 409)
    assert owner_client.post(f"/api/invoices/{draft.pk}/send/").json()["can_send"] is False


@pytest.mark.parametrize(("currency", "places"), [("USD", 2), ("JPY", 0), ("KWD", 3)])
def test_the_currency_precision_comes_with_the_invoice(owner_client, owner, currency, places):
    InvoiceFactory(owner=owner, currency=currency)
    listed = owner_client.get("/api/invoices/").json()["results"][0]
    assert (listed["currency"], listed["currency_exponent"]) == (currency, places)


def test_the_schema_describes_the_new_fields(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    invoice = schema["components"]["schemas"]["Invoice"]["properties"]
    assert invoice["currency_exponent"]["type"] == "integer"
    assert invoice["status_display"]["type"] == "string"
    assert all(invoice[name]["type"] == "boolean" for name in ACTIONS)
