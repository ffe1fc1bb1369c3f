"""POST /api/payment/webhook/<gateway>/<config>/: signatures, storing once, any order."""

from __future__ import annotations

import itertools
import json
import time

import pytest

from payments.models import InvoicePayment, PaymentRefund, PaymentWebhookEvent
from sandbox import provider
from sandbox.models import SandboxSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(api_client, invoice):
    """An open sandbox checkout for the invoice: (payment, provider session)."""
    body = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").json()
    payment = InvoicePayment.objects.get(pk=body["payment_id"])
    return payment, SandboxSession.objects.get(pk=payment.gateway_session_id)


def deliver(client, gateway, payload, *, secret=None, timestamp=None, header=None):  # type: ignore[no-untyped-def]
    body = provider.encode(payload)
    secret = secret or gateway.get_credentials()["webhook_secret"]
    signature = header if header is not None else provider.sign(body, secret, timestamp)
    return client.post(
        f"/api/payment/webhook/sandbox/{gateway.pk}/", body, content_type="application/json", HTTP_SANDBOX_SIGNATURE=signature
    )


def paid_event(session, event_id="evt_paid"):  # type: ignore[no-untyped-def]
    session.payment_status = "paid"
    session.status = "complete"
    return {**provider.event("checkout.completed", session), "id": event_id}


def test_a_signed_event_is_applied_once(api_client, gateway, opened):
    payment, session = opened
    event = paid_event(session)
    first = deliver(api_client, gateway, event)
    again = deliver(api_client, gateway, event)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["status"] == again.json()["status"] == "processed"
    assert PaymentWebhookEvent.objects.count() == 1
    assert PaymentWebhookEvent.objects.get().attempts == 1
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    payment.invoice.refresh_from_db()
    assert payment.invoice.status == "paid"


@pytest.mark.parametrize(
    ("case", "kwargs"),
    [
        ("wrong secret", {"secret": "whsec_sbx_wrong"}),
        ("stale timestamp", {"timestamp": int(time.time()) - 301}),
        ("missing header", {"header": ""}),
        ("garbage header", {"header": "v1=abc"}),
    ],
)
def test_bad_signatures_store_nothing(api_client, gateway, opened, case, kwargs):
    payment, session = opened
    response = deliver(api_client, gateway, paid_event(session), **kwargs)
    assert response.status_code == 400, case
    assert response.json()["code"] == "invalid_signature"
    assert PaymentWebhookEvent.objects.count() == 0
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_malformed_body_is_400_and_stores_nothing(api_client, gateway):
    body = b"{not json"
    signature = provider.sign(body, gateway.get_credentials()["webhook_secret"])
    response = api_client.post(
        f"/api/payment/webhook/sandbox/{gateway.pk}/", body, content_type="application/json", HTTP_SANDBOX_SIGNATURE=signature
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_payload"
    assert PaymentWebhookEvent.objects.count() == 0


def test_unknown_gateway_and_unknown_config_are_404(api_client, gateway):
    assert api_client.post("/api/payment/webhook/paypalish/", b"{}", content_type="application/json").status_code == 404
    other = "0b7e1f0c-1111-4222-8333-944455566677"
    response = api_client.post(f"/api/payment/webhook/sandbox/{other}/", b"{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_gateway"


def test_platform_endpoint_without_a_secret_refuses(api_client, db):
    response = api_client.post("/api/payment/webhook/sandbox/", b"{}", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_signature"


def test_event_for_an_unknown_payment_is_stored_as_waiting(api_client, gateway, opened):
    _, session = opened
    event = paid_event(session, "evt_stranger")
    event["data"]["object"].update(id="cs_sbx_unknown", metadata={}, payment_reference="pi_sbx_unknown")
    response = deliver(api_client, gateway, event)
    assert response.status_code == 200
    assert response.json()["status"] == "waiting"
    assert PaymentWebhookEvent.objects.get().status == "waiting"


def test_one_configs_secret_cannot_move_another_configs_payment(api_client, opened):
    from payments.factories import sandbox_config

    payment, session = opened
    intruder = sandbox_config()
    response = deliver(api_client, intruder, paid_event(session, "evt_forged"))
    assert response.status_code == 200
    assert response.json()["status"] == "ignored"
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_amount_mismatch_is_flagged_not_applied(api_client, gateway, opened):
    payment, session = opened
    event = paid_event(session, "evt_short")
    event["data"]["object"]["amount"] = "1.00"
    response = deliver(api_client, gateway, event)
    assert response.status_code == 200
    assert response.json()["status"] == "flagged"
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert "does not match" in payment.flagged_reason


def test_currency_mismatch_is_flagged(api_client, gateway, opened):
    payment, session = opened
    event = paid_event(session, "evt_eur")
    event["data"]["object"]["currency"] = "EUR"
    assert deliver(api_client, gateway, event).json()["status"] == "flagged"
    payment.refresh_from_db()
    assert payment.status == "pending"


def _events_for(session):  # type: ignore[no-untyped-def]
    """Completed, a refund of 30, and an expiry notice: three events about one payment."""
    paid = paid_event(session, "evt_a_paid")
    refund = {
        **provider.event("refund.updated", session),
        "id": "evt_b_refund",
    }
    refund["data"]["object"]["refunds"] = [
        {"id": "re_dash_1", "amount": "30.00", "currency": "USD", "status": "succeeded", "metadata": {}}
    ]
    expired = {**provider.event("checkout.expired", session), "id": "evt_c_expired"}
    return [paid, refund, expired]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_any_order_gives_the_same_end_state(api_client, gateway, opened, order):
    payment, session = opened
    events = _events_for(session)
    for index in order:
        assert deliver(api_client, gateway, events[index]).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "partially_refunded"
    assert str(payment.amount_refunded) == "30.000"
    refund = PaymentRefund.objects.get()
    assert (refund.source, refund.status, refund.gateway_refund_id) == ("gateway", "succeeded", "re_dash_1")
    payment.invoice.refresh_from_db()
    # Refunded in the provider's dashboard: a credit, so the invoice stays paid with nothing due.
    assert (payment.invoice.status, payment.invoice.amount_due) == ("paid", 0)
    assert (str(payment.invoice.amount_paid), str(payment.invoice.amount_credited)) == ("70.000", "30.000")


def test_a_refund_failing_later_restores_the_amounts(api_client, gateway, opened):
    payment, session = opened
    deliver(api_client, gateway, paid_event(session))
    refund_event = {**provider.event("refund.updated", session), "id": "evt_r1"}
    refund_event["data"]["object"]["refunds"] = [
        {"id": "re_1", "amount": "100.00", "currency": "USD", "status": "succeeded", "metadata": {}}
    ]
    deliver(api_client, gateway, refund_event)
    payment.refresh_from_db()
    assert payment.status == "refunded"
    failed_event = json.loads(json.dumps(refund_event))
    failed_event["id"] = "evt_r2"
    failed_event["data"]["object"]["refunds"][0]["status"] = "failed"
    deliver(api_client, gateway, failed_event)
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert payment.amount_refunded == 0
    assert PaymentRefund.objects.get().status == "failed"
    payment.invoice.refresh_from_db()
    assert payment.invoice.status == "paid"


def test_oversized_body_is_refused(api_client, gateway, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 1000
    response = api_client.post(
        f"/api/payment/webhook/sandbox/{gateway.pk}/", b"{" + b" " * 2000 + b"}", content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert PaymentWebhookEvent.objects.count() == 0


def test_processing_failure_is_stored_and_answered_200_then_retried(api_client, gateway, opened, monkeypatch):
    from payments.webhooks import process

    payment, session = opened
    calls = {"n": 0}
    real = process.move_to

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(process, "move_to", boom)
    event = paid_event(session)
    first = deliver(api_client, gateway, event)
    assert (first.status_code, first.json()["status"]) == (200, "failed")
    row = PaymentWebhookEvent.objects.get()
    assert row.status == "failed" and "database went away" in row.error and row.attempts == 1
    retry = deliver(api_client, gateway, event)
    assert retry.status_code == 200
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == ("processed", 2, "")
    payment.refresh_from_db()
    assert payment.status == "succeeded"


# Event ids are unique per gateway account, not across tenants ------------------------------


def test_two_tenants_events_with_the_same_id_are_both_applied(api_client, gateway, opened):
    from accounts.factories import UserFactory
    from invoices.factories import InvoiceFactory
    from payments.factories import sandbox_config

    other_gateway = sandbox_config(owner=UserFactory())
    other_invoice = InvoiceFactory(owner=other_gateway.owner, items=[("Other work", 1, "40.00")])
    body = api_client.post("/api/payment/create-session/", {"invoice_id": str(other_invoice.public_id)}, format="json").json()
    other_payment = InvoicePayment.objects.get(pk=body["payment_id"])
    payment, session = opened

    first = deliver(api_client, other_gateway, paid_event(SandboxSession.objects.get(pk=other_payment.gateway_session_id), "evt_same"))
    second = deliver(api_client, gateway, paid_event(session, "evt_same"))

    assert (first.json()["status"], second.json()["status"]) == ("processed", "processed")
    payment.refresh_from_db()
    other_payment.refresh_from_db()
    assert (payment.status, other_payment.status) == ("succeeded", "succeeded")
    assert sorted(PaymentWebhookEvent.objects.values_list("gateway_account", flat=True)) == sorted(
        [str(gateway.pk), str(other_gateway.pk)]
    )


def test_another_tenant_cannot_shadow_an_event_by_sending_its_id_first(api_client, gateway, opened):
    from accounts.factories import UserFactory
    from payments.factories import sandbox_config

    payment, session = opened
    genuine = paid_event(session, "evt_guessed")
    attacker = sandbox_config(owner=UserFactory())
    assert deliver(api_client, attacker, genuine).json()["status"] == "ignored"  # not a payment of theirs

    response = deliver(api_client, gateway, genuine)

    assert (response.status_code, response.json()["status"]) == (200, "processed")
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    payment.invoice.refresh_from_db()
    assert payment.invoice.status == "paid"
    # A redelivery to the victim's own endpoint is still a no-op.
    assert deliver(api_client, gateway, genuine).json()["status"] == "processed"
    assert PaymentWebhookEvent.objects.filter(gateway_account=str(gateway.pk)).get().attempts == 1


def test_replaying_an_event_id_can_be_narrowed_to_one_account(api_client, gateway, opened):
    from io import StringIO

    from django.core.management import call_command

    from accounts.factories import UserFactory
    from payments.factories import sandbox_config

    payment, session = opened
    stranger = sandbox_config(owner=UserFactory())
    deliver(api_client, stranger, paid_event(session, "evt_twice"))  # ignored: not the stranger's payment
    deliver(api_client, gateway, paid_event(session, "evt_twice"))
    out = StringIO()

    call_command("replay_webhook_events", "--event-id", "evt_twice", "--account", str(gateway.pk), stdout=out)

    assert f"evt_twice checkout.completed ({gateway.pk}): processed" in out.getvalue()
    assert "Replayed 1 event(s)" in out.getvalue()
    payment.refresh_from_db()
    assert payment.status == "succeeded"
