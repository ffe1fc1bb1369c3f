"""An unexpected error answers 500 with a message that is true: it was logged, and part of the
request may have been applied, so the caller looks before retrying (a blind retry of a refund
could refund twice)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from payments.gateways.sandbox import SandboxGateway
from payments.models import PaymentRefund

pytestmark = pytest.mark.django_db


def test_a_500_does_not_claim_that_nothing_was_changed(monkeypatch, owner_client, invoice, pay):
    """The refund is recorded (its amount held) before the gateway is called: when the call
    crashes unexpectedly, something WAS changed, and the answer must not say otherwise."""
    payment_id = pay(invoice)

    def crash(self, request):  # type: ignore[no-untyped-def]
        raise RuntimeError("unexpected")

    monkeypatch.setattr(SandboxGateway, "refund", crash)
    response = owner_client.post(f"/api/payment/refund/{payment_id}/", {"amount": "10.00"}, format="json")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    message = response.json()["message"]
    assert "nothing was changed" not in message.lower()
    assert "check the current state before trying again" in message
    assert PaymentRefund.objects.get(payment_id=payment_id).amount == Decimal("10.00")  # the change it warns of
