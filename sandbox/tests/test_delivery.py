"""The sandbox delivers its webhooks as a POST to the public webhook endpoint, like any gateway."""

from __future__ import annotations

import json
import logging
from unittest import mock

import pytest

from payments.models import InvoicePayment, PaymentWebhookEvent
from sandbox import delivery, provider
from sandbox.models import SandboxSession


@pytest.fixture
def opened(api_client, invoice):
    """An open sandbox checkout for the invoice: (payment, the provider's session)."""
    body = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").json()
    payment = InvoicePayment.objects.get(pk=body["payment_id"])
    return payment, SandboxSession.objects.get(pk=payment.gateway_session_id)


@pytest.fixture
def sent():
    """Every request the sandbox sends, with Trackify's answer: [(request, response)]."""
    calls = []
    respond = delivery._InProcessHandler.respond

    def spy(handler, environ):  # type: ignore[no-untyped-def]
        response = respond(handler, environ)
        calls.append((environ, response))
        return response

    with mock.patch.object(delivery._InProcessHandler, "respond", autospec=True, side_effect=spy):
        yield calls


@pytest.mark.django_db
def test_the_payers_choice_arrives_as_a_post_to_the_webhook_endpoint(checkout, gateway, opened, sent):
    payment, _ = opened
    response = checkout.pay(payment.checkout_url, "pay")
    assert response.status_code == 302
    [(environ, answer)] = sent
    assert (environ["REQUEST_METHOD"], environ["PATH_INFO"]) == ("POST", gateway.webhook_path)
    assert environ["HTTP_SANDBOX_SIGNATURE"].startswith("t=")
    # The endpoint answered through the whole stack: the middleware's headers and the view's JSON.
    assert answer.status_code == 200
    assert answer["X-Content-Type-Options"] == "nosniff"
    event = PaymentWebhookEvent.objects.get()
    assert json.loads(answer.content) == {"received": True, "status": "processed", "event_id": event.event_id}
    assert (event.gateway_name, event.gateway_account, event.event_type) == (
        "sandbox",
        str(gateway.pk),
        "checkout.completed",
    )
    payment.refresh_from_db()
    assert payment.status == "succeeded"


@pytest.mark.django_db
def test_a_tampered_signature_is_refused_there_as_for_any_gateway(gateway, opened, sent, caplog):
    payment, session = opened
    [event] = provider.complete(session, "pay")
    session.webhook_secret = "whsec_sbx_not_the_configs"
    with caplog.at_level(logging.WARNING, logger="sandbox.delivery"):
        status = delivery.deliver(session, event)
    assert status == 400
    [(_, answer)] = sent
    assert json.loads(answer.content)["code"] == "invalid_signature"
    assert not PaymentWebhookEvent.objects.exists()  # nothing stored
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert any("answered 400" in record.getMessage() for record in caplog.records)  # reported, as a provider would


@pytest.mark.django_db(transaction=True)
def test_delivery_runs_after_the_page_commits_the_payers_choice(checkout, opened):
    # No test transaction around it: the page's write and the webhook's own transactions really
    # commit, one after the other (SQLite takes its write lock when a transaction begins).
    payment, _ = opened
    assert checkout.pay(payment.checkout_url, "pay_later_success").status_code == 302
    payment.refresh_from_db()
    assert payment.status in ("processing", "succeeded")
    assert PaymentWebhookEvent.objects.get().status == "processed"
