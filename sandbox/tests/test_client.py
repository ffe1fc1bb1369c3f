"""sandbox.client: the adapter's only door into the provider answers plain, JSON-shaped dicts."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sandbox import provider
from sandbox.client import SandboxClient, SandboxError

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> SandboxClient:
    return SandboxClient(account=str(uuid.uuid4()), webhook_secret="whsec_sbx_test")


def _open(client: SandboxClient, key: str = "key-1") -> dict:  # type: ignore[type-arg]
    return client.create_session(
        idempotency_key=key,
        amount=Decimal("40.00"),
        currency="USD",
        description="Invoice 7",
        customer_email="payer@example.test",
        success_url="https://shop.test/ok",
        cancel_url="https://shop.test/no",
        metadata={"payment_id": "p1"},
        expires_at=timezone.now() + timedelta(hours=1),
    )


def test_a_session_is_json_and_the_same_key_answers_the_same_one(client):
    session = _open(client)
    assert json.loads(json.dumps(session)) == session  # nothing but JSON types
    assert (Decimal(session["amount"]), session["status"], session["payment_status"]) == (Decimal(40), "open", "unpaid")
    assert session["url"].endswith(f"/sandbox/checkout/{session['id']}")
    assert _open(client)["id"] == session["id"]
    again = client.retrieve_session(session["id"])
    assert (again["id"], again["expires_at"], again["payment_reference"]) == (
        session["id"],
        session["expires_at"],
        session["payment_reference"],
    )


def test_refunds_are_dicts_and_refusals_are_sandbox_errors(client):
    session = _open(client)
    with pytest.raises(SandboxError):
        client.refund(session_id=session["id"], amount=Decimal("5"), idempotency_key="r1", metadata={})  # not paid
    provider.complete(provider.get_session(session["id"]), "pay")
    refund = client.refund(
        session_id=session["id"], amount=Decimal("5"), idempotency_key="r1", metadata={"refund_id": "x"}
    )
    assert "idempotency_key" not in refund
    assert client.retrieve_refund(refund["id"]) == refund
    with pytest.raises(SandboxError):
        client.refund(
            session_id=session["id"], amount=Decimal("36"), idempotency_key="r2", metadata={}
        )  # over what is left
    with pytest.raises(SandboxError):
        client.retrieve_session("cs_sbx_nope")
    with pytest.raises(SandboxError):
        SandboxClient(account=str(uuid.uuid4())).retrieve_refund(refund["id"])  # another account's refund
