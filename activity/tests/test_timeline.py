"""The invoice timeline: each action writes its row where it happens, and the owner reads them
oldest first at GET /api/invoices/<id>/activity/."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from activity.models import ActivityEvent
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
def draft(owner_client, owner):
    sandbox_config(owner=owner)
    body = {
        "client_name": "Acme",
        "currency": "USD",
        "items": [{"description": "Work", "quantity": "1", "unit_price": "120.00"}],
    }
    created = owner_client.post("/api/invoices/", body, format="json")
    assert created.status_code == 201
    return created.json()


def _kinds(client, invoice_id):  # type: ignore[no-untyped-def]
    answer = client.get(f"/api/invoices/{invoice_id}/activity/")
    assert answer.status_code == 200
    return [(row["kind"], row["actor"]) for row in answer.json()]


def _open_and_complete(public_id: str, outcome: str) -> dict:
    session = Client().post("/api/payment/create-session/", {"invoice_id": public_id}, content_type="application/json")
    assert session.status_code == 201, session.content
    browser = Client(enforce_csrf_checks=True)
    path = re.sub(r"^https?://[^/]+", "", session.json()["checkout_url"])
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(path).content).group(1).decode()
    browser.post(path, {"outcome": outcome, "csrfmiddlewaretoken": token})
    return session.json()


def test_create_send_pay_refund_and_void_each_write_their_row(owner_client, draft):
    invoice_id = draft["id"]
    owner_client.post(f"/api/invoices/{invoice_id}/send/")
    declined = _open_and_complete(draft["public_id"], "decline")
    paid = _open_and_complete(draft["public_id"], "pay")
    refund = owner_client.post(f"/api/payment/refund/{paid['payment_id']}/", {"amount": "120.00"}, format="json")
    assert refund.status_code == 201, refund.json()
    assert owner_client.post(f"/api/invoices/{invoice_id}/void/").status_code == 200

    assert _kinds(owner_client, invoice_id) == [
        ("created", "owner"),
        ("sent", "owner"),
        ("checkout_opened", "client"),
        ("payment_failed", "sandbox"),
        ("checkout_opened", "client"),
        ("paid", "sandbox"),
        ("refunded", "owner"),
        ("voided", "owner"),
    ]
    rows = owner_client.get(f"/api/invoices/{invoice_id}/activity/").json()
    assert set(rows[0]) >= {"at", "kind", "actor", "details"}
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    paid_row = next(r for r in rows if r["kind"] == "paid")
    assert paid_row["details"] == {"amount": "120.00", "currency": "USD", "gateway": "sandbox"}
    assert next(r for r in rows if r["kind"] == "refunded")["details"]["amount"] == "120.00"
    assert declined["payment_id"] != paid["payment_id"]


def test_client_visits_are_two_rows_at_most_first_and_last(owner_client, draft):
    owner_client.post(f"/api/invoices/{draft['id']}/send/")
    start = timezone.now()
    # Five visits ten minutes apart, each with reloads: a reload within a visit writes nothing.
    for visit in range(5):
        with time_machine.travel(start + timedelta(minutes=10 * visit), tick=False):
            for _ in range(3):
                assert Client().get(f"/api/payment/public/invoice/{draft['public_id']}/").status_code == 200

    views = [r for r in owner_client.get(f"/api/invoices/{draft['id']}/activity/").json() if r["kind"] == "viewed"]

    assert [(v["actor"], v["details"]) for v in views] == [
        ("client", {"view": "first"}),
        ("client", {"view": "last", "count": 5}),
    ]
    assert views[0]["at"] < views[1]["at"]


def test_reloading_the_public_page_within_a_visit_writes_nothing(owner_client, draft):
    owner_client.post(f"/api/invoices/{draft['id']}/send/")
    url = f"/api/payment/public/invoice/{draft['public_id']}/"
    assert Client().get(url).status_code == 200  # the first view is noted
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(url).status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert [w for w in writes if "activity" in w] == []


def test_revoking_and_regenerating_the_link_are_on_the_timeline(owner_client, draft):
    owner_client.post(f"/api/invoices/{draft['id']}/link/revoke/")
    owner_client.post(f"/api/invoices/{draft['id']}/link/revoke/")  # already off: no second row
    owner_client.post(f"/api/invoices/{draft['id']}/link/regenerate/")

    assert _kinds(owner_client, draft["id"]) == [
        ("created", "owner"),
        ("link_revoked", "owner"),
        ("link_regenerated", "owner"),
    ]


def test_a_refused_action_writes_nothing(owner_client, draft):
    owner_client.post(f"/api/invoices/{draft['id']}/send/")
    assert owner_client.post(f"/api/invoices/{draft['id']}/send/").status_code == 409

    assert _kinds(owner_client, draft["id"]) == [("created", "owner"), ("sent", "owner")]


def test_another_owners_timeline_is_404(draft, db):
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())

    assert stranger.get(f"/api/invoices/{draft['id']}/activity/").status_code == 404
    assert APIClient().get(f"/api/invoices/{draft['id']}/activity/").status_code == 401


def test_the_timeline_list_costs_a_fixed_number_of_queries(owner_client, owner, django_assert_max_num_queries):
    invoice = InvoiceFactory(owner=owner)
    for _ in range(20):
        ActivityEvent.objects.create(invoice=invoice, kind="emailed", actor="owner", details={"to": "a@b.example"})

    with django_assert_max_num_queries(6):
        assert len(owner_client.get(f"/api/invoices/{invoice.pk}/activity/").json()) == 20
