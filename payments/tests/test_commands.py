"""Management commands: reconcile, replay and key rotation (the demo's: trackify/tests/test_seed_demo.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentWebhookEvent

pytestmark = pytest.mark.django_db


def run(*args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def test_reconcile_repairs_a_missed_webhook(api_client, invoice, checkout, monkeypatch):
    from payments.webhooks import receive

    session = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").json()
    monkeypatch.setattr(receive, "receive", lambda **kwargs: None)
    checkout.pay(session["checkout_url"])
    output = run("reconcile_payments", "--older-than", "0", "--rate", "100")
    assert "pending -> succeeded" in output
    assert "1 changed" in output
    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_replay_processes_failed_events(invoice, pay):
    pay(invoice)
    event = PaymentWebhookEvent.objects.get()
    PaymentWebhookEvent.objects.filter(pk=event.pk).update(status="failed", error="boom")
    output = run("replay_webhook_events")
    assert "1 done, 0 failed" in output
    event.refresh_from_db()
    assert event.status == "processed"


def test_replay_of_an_unknown_id_fails_loudly(db):
    with pytest.raises(CommandError):
        run("replay_webhook_events", "--event-id", "evt_missing")


def test_rotation_lets_the_old_key_go(settings, gateway):
    secret = gateway.get_credentials()["webhook_secret"]
    old_keys = list(settings.CREDENTIALS_ENCRYPTION_KEYS)
    new = Fernet.generate_key().decode()
    settings.CREDENTIALS_ENCRYPTION_KEYS = [new, *old_keys]
    assert "1 gateway configuration" in run("rotate_credentials_key")
    settings.CREDENTIALS_ENCRYPTION_KEYS = [new]
    assert PaymentGatewayConfig.objects.get().get_credentials()["webhook_secret"] == secret


def test_open_payment_refresh_closes_an_unopened_attempt(invoice, monkeypatch, api_client):
    from datetime import timedelta

    from django.utils import timezone

    from payments.errors import GatewayError
    from payments.gateways.sandbox import SandboxGateway

    def lost(self, request):  # type: ignore[no-untyped-def]
        raise GatewayError("Timed out.", outcome_unknown=True)

    monkeypatch.setattr(SandboxGateway, "create_checkout", lost)
    api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json")
    InvoicePayment.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    run("reconcile_payments", "--older-than", "0", "--rate", "100")
    assert InvoicePayment.objects.get().status == "canceled"
