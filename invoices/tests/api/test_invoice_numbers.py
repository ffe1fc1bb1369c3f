"""Invoice numbers: the automatic sequence always fits the 32-character number column."""

from __future__ import annotations

import pytest

from invoices.factories import InvoiceFactory
from invoices.models import Invoice

pytestmark = pytest.mark.django_db

URL = "/api/invoices/"
LONGEST = "INV-" + "9" * 28  # exactly 32 characters: the next in sequence would be 33


def create(client, **body):  # type: ignore[no-untyped-def]
    return client.post(URL, {"client_name": "Acme Ltd", **body}, format="json")


def test_a_manual_number_the_sequence_could_not_follow_is_refused(owner_client):
    response = create(owner_client, number=LONGEST)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "INV-999999999999" in body["details"]["number"][0]
    assert not Invoice.objects.exists()


def test_after_a_long_legacy_number_the_next_automatic_number_still_fits(owner_client, owner):
    InvoiceFactory(owner=owner, number="INV-0007")
    InvoiceFactory(owner=owner, number=LONGEST)  # typed before manual numbers were checked

    responses = [create(owner_client) for _ in range(2)]

    assert [r.status_code for r in responses] == [201, 201]
    assert [r.json()["number"] for r in responses] == ["INV-0008", "INV-0009"]


def test_the_highest_manual_number_allowed_is_followed_by_the_sequence(owner_client):
    assert create(owner_client, number="INV-999999999999").status_code == 201

    following = create(owner_client)

    assert following.status_code == 201
    assert following.json()["number"] == "INV-1000000000000"


def test_numbers_in_other_forms_may_use_the_whole_column(owner_client):
    response = create(owner_client, number="2026/" + "7" * 27)

    assert response.status_code == 201
    assert create(owner_client).json()["number"] == "INV-0001"


def test_a_draft_cannot_be_renumbered_past_what_the_sequence_can_follow(owner_client, owner):
    invoice = InvoiceFactory(owner=owner, status="draft", number="INV-0001")

    response = owner_client.patch(f"{URL}{invoice.pk}/", {"number": LONGEST}, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    invoice.refresh_from_db()
    assert invoice.number == "INV-0001"
