"""The payment link's lifecycle: revoke (410 link_revoked), regenerate (a new public id; the old
link is dead), expiry set by PATCH (410 link_expired), and the public id as the only key."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from invoices.factories import InvoiceFactory
from payments.factories import sandbox_config

PUBLIC = "/api/payment/public/invoice/{}/"
CREATE = "/api/payment/create-session/"


@pytest.fixture
def invoice(owner):
    sandbox_config(owner=owner)
    return InvoiceFactory(owner=owner, items=[("Design", 1, "80.00")])


def _public(public_id):  # type: ignore[no-untyped-def]
    return Client().get(PUBLIC.format(public_id))


def _open_checkout(public_id):  # type: ignore[no-untyped-def]
    return Client().post(CREATE, {"invoice_id": str(public_id)}, content_type="application/json")


def _assert_gone(response, code: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 410, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert "link" in body["message"]


def test_the_link_carries_the_public_id_and_the_internal_id_opens_nothing(owner_client, invoice):
    body = owner_client.get(f"/api/invoices/{invoice.pk}/").json()

    assert body["public_id"] == str(invoice.public_id) != body["id"]
    assert body["payment_url"].endswith(f"/pay/{invoice.public_id}")
    assert (body["link_enabled"], body["link_expires_at"], body["link_state"]) == (True, None, "live")
    assert _public(invoice.public_id).json()["invoice_id"] == str(invoice.public_id)
    assert _public(invoice.pk).status_code == 404
    assert _open_checkout(invoice.pk).status_code == 404
    assert _open_checkout(invoice.public_id).status_code == 201


def test_a_revoked_link_answers_410_on_every_public_endpoint(owner_client, invoice):
    payment_id = _open_checkout(invoice.public_id).json()["payment_id"]

    revoked = owner_client.post(f"/api/invoices/{invoice.pk}/link/revoke/")

    assert revoked.status_code == 200
    assert (revoked.json()["link_enabled"], revoked.json()["link_state"]) == (False, "revoked")
    _assert_gone(_public(invoice.public_id), "link_revoked")
    _assert_gone(_open_checkout(invoice.public_id), "link_revoked")
    _assert_gone(Client().get(f"/api/payment/status/{payment_id}/"), "link_revoked")
    # The owner still sees the invoice; revoking again is harmless.
    assert owner_client.get(f"/api/invoices/{invoice.pk}/").status_code == 200
    assert owner_client.post(f"/api/invoices/{invoice.pk}/link/revoke/").status_code == 200


def test_regenerating_gives_a_new_working_link_and_kills_the_old_one(owner_client, invoice):
    old = invoice.public_id
    old_payment = _open_checkout(old).json()["payment_id"]
    owner_client.post(f"/api/invoices/{invoice.pk}/link/revoke/")

    answer = owner_client.post(f"/api/invoices/{invoice.pk}/link/regenerate/")

    body = answer.json()
    assert answer.status_code == 200
    new = body["public_id"]
    assert new != str(old) and body["payment_url"].endswith(f"/pay/{new}") and body["link_state"] == "live"
    _assert_gone(_public(old), "link_revoked")
    _assert_gone(_open_checkout(old), "link_revoked")
    # A payment opened through the old link does not hand out the new link's id.
    _assert_gone(Client().get(f"/api/payment/status/{old_payment}/"), "link_revoked")
    assert _public(new).json()["amount_due"] == "80.00"
    opened = _open_checkout(new)
    assert opened.status_code == 201
    status = Client().get(f"/api/payment/status/{opened.json()['payment_id']}/").json()
    assert status["invoice_id"] == new


def test_the_expiry_is_set_by_patch_and_the_link_then_answers_410(owner_client, invoice):
    at = timezone.now() + datetime.timedelta(days=3)

    patched = owner_client.patch(f"/api/invoices/{invoice.pk}/", {"link_expires_at": at.isoformat()}, format="json")

    assert patched.status_code == 200, patched.json()
    assert patched.json()["link_expires_at"] is not None
    assert _public(invoice.public_id).status_code == 200
    with time_machine.travel(at + datetime.timedelta(seconds=1)):
        _assert_gone(_public(invoice.public_id), "link_expired")
        _assert_gone(_open_checkout(invoice.public_id), "link_expired")
        assert owner_client.get(f"/api/invoices/{invoice.pk}/").json()["link_state"] == "expired"
        # Regenerating a link past its expiry clears the expiry: the new link works.
        new = owner_client.post(f"/api/invoices/{invoice.pk}/link/regenerate/").json()
        assert new["link_expires_at"] is None
        assert _public(new["public_id"]).status_code == 200


def test_an_expiry_in_the_past_is_refused_and_null_removes_it(owner_client, invoice):
    past = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    refused = owner_client.patch(f"/api/invoices/{invoice.pk}/", {"link_expires_at": past}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid" and "link_expires_at" in refused.json()["details"]

    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    owner_client.patch(f"/api/invoices/{invoice.pk}/", {"link_expires_at": future}, format="json")
    cleared = owner_client.patch(f"/api/invoices/{invoice.pk}/", {"link_expires_at": None}, format="json")
    assert cleared.json()["link_expires_at"] is None


def test_only_the_owner_may_revoke_or_regenerate(stranger_client, invoice, api_client):
    for action in ("revoke", "regenerate"):
        assert stranger_client.post(f"/api/invoices/{invoice.pk}/link/{action}/").status_code == 404
        assert api_client.post(f"/api/invoices/{invoice.pk}/link/{action}/").status_code == 401
    assert _public(invoice.public_id).status_code == 200


def test_an_unknown_public_id_is_404_not_410(invoice):
    response = _public("6b0f6a8e-7a4e-4c55-9d0b-2a1f3c4d5e6f")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
