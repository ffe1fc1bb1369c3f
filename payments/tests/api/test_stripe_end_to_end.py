"""A Stripe-configured invoice, end to end through the public API and signed Stripe webhooks.

Stripe's API is a small stateful stand-in served over real HTTP (``STRIPE_API_BASE``), so the
real SDK and our gateway make every call they would make in production.
"""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import parse_qs

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from payments.models import InvoicePayment, PaymentRefund, PaymentWebhookEvent
from payments.tests.gateways import stripe_payloads as sp

pytestmark = pytest.mark.django_db

SECRET_KEY = "sk_test_51TrackifyEndToEnd000000000000000000004242"
WEBHOOK_SECRET = "whsec_trackify_end_to_end_0000000000000001"


class FakeStripe:
    """Checkout sessions and refunds, remembered as Stripe would, with every request logged."""

    def __init__(self, server: HTTPServer) -> None:
        self.sessions: dict[str, dict] = {}
        self.refunds: list[dict] = []
        self.requests: list[tuple[str, str, dict, dict]] = []
        self.fail_next = 0
        server.expect_request(re.compile(r"/v1/.*")).respond_with_handler(self.handle)

    def handle(self, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs(request.get_data(as_text=True)).items()}
        self.requests.append((request.method, request.path, form, dict(request.headers)))
        if self.fail_next:
            self.fail_next -= 1
            return Response(json.dumps(sp.error("Stripe is having a moment", type="api_error")), status=500)
        if request.method == "POST" and request.path == "/v1/checkout/sessions":
            session = sp.checkout_session(
                payment_id=form["client_reference_id"],
                amount_total=int(form["line_items[0][price_data][unit_amount]"]),
                currency=form["line_items[0][price_data][currency]"],
            )
            session["url"] = f"https://checkout.stripe.test/c/pay/{session['id']}"
            self.sessions[session["id"]] = session
            return self.json(session)
        match = re.fullmatch(r"/v1/checkout/sessions/([^/]+)", request.path)
        if request.method == "GET" and match:
            session = dict(self.sessions[match.group(1)])
            if isinstance(session.get("payment_intent"), str):
                session["payment_intent"] = sp.payment_intent(
                    id=session["payment_intent"], amount=session["amount_total"], currency=session["currency"]
                )
            return self.json(session)
        if request.method == "POST" and request.path == "/v1/refunds":
            refund = sp.refund(
                amount=int(form["amount"]),
                payment_intent=form["payment_intent"],
                refund_id=form.get("metadata[trackify_refund_id]"),
                payment_id=form.get("metadata[trackify_payment_id]"),
            )
            self.refunds.append(refund)
            return self.json(refund)
        if request.method == "GET" and request.path == "/v1/refunds":
            mine = [r for r in self.refunds if r["payment_intent"] == request.args.get("payment_intent")]
            return self.json(sp.list_of(mine, url="/v1/refunds"))
        return Response(json.dumps(sp.error(f"No such route {request.path}")), status=404)

    @staticmethod
    def json(obj: dict) -> Response:
        return Response(json.dumps(obj), status=200, content_type="application/json")

    def pay(self, session_id: str) -> dict:
        """The payer completes the checkout: Stripe's side of the session changes."""
        session = self.sessions[session_id]
        session.update(status="complete", payment_status="paid", payment_intent=f"pi_test_{uuid.uuid4().hex[:20]}")
        return session


@pytest.fixture
def stripe_server(httpserver, settings):
    settings.STRIPE_API_BASE = httpserver.url_for("/").rstrip("/")
    return FakeStripe(httpserver)


@pytest.fixture
def stripe_config(owner_client, stripe_server):
    created = owner_client.post(
        "/api/payment/gateways/",
        {
            "gateway_name": "stripe",
            "credentials": {"secret_key": SECRET_KEY, "publishable_key": "pk_test_51TrackifyEndToEnd0000000004242"},
        },
        format="json",
    ).json()
    # The webhook secret comes from Stripe once the endpoint (this config's URL) exists there.
    patched = owner_client.patch(
        f"/api/payment/gateways/{created['id']}/", {"credentials": {"webhook_secret": WEBHOOK_SECRET}}, format="json"
    )
    assert patched.status_code == 200
    # Saving asked Stripe about the keys (GET /v1/balance): the tests look at what follows.
    stripe_server.requests.clear()
    return patched.json()


@pytest.fixture
def stripe_invoice(owner, stripe_config):
    from invoices.factories import InvoiceFactory

    return InvoiceFactory(owner=owner, allow_partial_payments=True, items=[("Retainer", 1, "1250.00")])


def send_webhook(client, config, payload):  # type: ignore[no-untyped-def]
    body = sp.encode(payload)
    return client.post(
        f"/api/payment/webhook/stripe/{config['id']}/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sp.sign(body, WEBHOOK_SECRET),
    )


def test_checkout_paid_then_partially_refunded(api_client, owner_client, stripe_server, stripe_config, stripe_invoice):
    opened = api_client.post("/api/payment/create-session/", {"invoice_id": str(stripe_invoice.public_id)}, format="json")
    assert opened.status_code == 201, opened.json()
    body = opened.json()
    assert body["checkout_url"].startswith("https://checkout.stripe.test/c/pay/cs_test_")
    method, path, form, headers = stripe_server.requests[0]
    assert (method, path) == ("POST", "/v1/checkout/sessions")
    assert form["line_items[0][price_data][unit_amount]"] == "125000"
    assert form["client_reference_id"] == body["payment_id"]
    assert headers["Authorization"] == f"Bearer {SECRET_KEY}"
    assert headers["Idempotency-Key"] == InvoicePayment.objects.get().idempotency_key

    payment = InvoicePayment.objects.get()
    session = stripe_server.pay(payment.gateway_session_id)
    delivered = send_webhook(api_client, stripe_config, sp.event("checkout.session.completed", session))
    assert delivered.status_code == 200, delivered.json()
    assert api_client.get(f"/api/payment/status/{body['payment_id']}/").json()["status"] == "succeeded"
    assert owner_client.get(f"/api/invoices/{stripe_invoice.pk}/").json()["status"] == "paid"

    refunded = owner_client.post(
        f"/api/payment/refund/{body['payment_id']}/", {"amount": "625.00", "invoice_effect": "reopen"}, format="json"
    )
    assert refunded.status_code == 201, refunded.json()
    assert (refunded.json()["status"], refunded.json()["payment_status"]) == ("succeeded", "partially_refunded")
    refund_call = stripe_server.requests[-1]
    assert (refund_call[1], refund_call[2]["amount"], refund_call[2]["payment_intent"]) == (
        "/v1/refunds", "62500", session["payment_intent"]
    )
    detail = owner_client.get(f"/api/invoices/{stripe_invoice.pk}/").json()
    assert (detail["status"], detail["amount_paid"], detail["amount_refunded"]) == ("partially_paid", "625.00", "625.00")

    # Stripe then tells us about the same refund; nothing is counted twice.
    [stripe_refund] = stripe_server.refunds
    assert send_webhook(api_client, stripe_config, sp.event("refund.created", stripe_refund)).status_code == 200
    charge = sp.charge(payment_intent=session["payment_intent"], amount=125000, amount_refunded=62500)
    assert send_webhook(api_client, stripe_config, sp.event("charge.refunded", charge)).status_code == 200
    assert PaymentRefund.objects.count() == 1
    assert owner_client.get(f"/api/invoices/{stripe_invoice.pk}/").json()["amount_paid"] == "625.00"


def test_a_dashboard_refund_appears_and_a_later_failure_restores_it(api_client, owner_client, stripe_server, stripe_config, stripe_invoice):
    body = api_client.post("/api/payment/create-session/", {"invoice_id": str(stripe_invoice.public_id)}, format="json").json()
    session = stripe_server.pay(InvoicePayment.objects.get().gateway_session_id)
    send_webhook(api_client, stripe_config, sp.event("checkout.session.completed", session))

    dashboard = sp.refund(amount=125000, payment_intent=session["payment_intent"])  # no Trackify metadata
    stripe_server.refunds.append(dashboard)
    charge = sp.charge(payment_intent=session["payment_intent"], amount=125000, amount_refunded=125000)
    assert send_webhook(api_client, stripe_config, sp.event("charge.refunded", charge)).status_code == 200
    refund = PaymentRefund.objects.get()
    assert (refund.source, refund.status, refund.gateway_refund_id) == ("gateway", "succeeded", dashboard["id"])
    assert api_client.get(f"/api/payment/status/{body['payment_id']}/").json()["status"] == "refunded"

    failed = {**dashboard, "status": "failed", "failure_reason": "expired_or_canceled_card"}
    assert send_webhook(api_client, stripe_config, sp.event("refund.failed", failed)).status_code == 200
    assert api_client.get(f"/api/payment/status/{body['payment_id']}/").json()["status"] == "succeeded"
    assert owner_client.get(f"/api/invoices/{stripe_invoice.pk}/").json()["status"] == "paid"


def test_a_missed_webhook_is_repaired_by_reconcile(api_client, stripe_server, stripe_config, stripe_invoice):
    from django.core.management import call_command

    body = api_client.post("/api/payment/create-session/", {"invoice_id": str(stripe_invoice.public_id)}, format="json").json()
    stripe_server.pay(InvoicePayment.objects.get().gateway_session_id)  # ...and the webhook never comes
    call_command("reconcile_payments", "--older-than", "0", "--rate", "100")
    payment = InvoicePayment.objects.get(pk=body["payment_id"])
    assert payment.status == "succeeded"
    assert payment.gateway_payment_reference.startswith("pi_test_")
    stripe_invoice.refresh_from_db()
    assert stripe_invoice.status == "paid"


def test_stripe_5xx_answers_502_and_the_retry_reuses_the_idempotency_key(api_client, stripe_server, stripe_config, stripe_invoice):
    stripe_server.fail_next = 10  # more than the SDK's own retries
    failed = api_client.post("/api/payment/create-session/", {"invoice_id": str(stripe_invoice.public_id)}, format="json")
    assert failed.status_code == 502
    assert failed.json()["code"] == "gateway_error"
    first_keys = {h["Idempotency-Key"] for _, _, _, h in stripe_server.requests}
    assert len(first_keys) == 1
    stripe_server.fail_next = 0
    retried = api_client.post("/api/payment/create-session/", {"invoice_id": str(stripe_invoice.public_id)}, format="json")
    assert retried.status_code == 201
    assert stripe_server.requests[-1][3]["Idempotency-Key"] in first_keys
    assert InvoicePayment.objects.count() == 1


def test_a_forged_event_is_refused_and_stored_nowhere(api_client, stripe_config, stripe_invoice, stripe_server):
    api_client.post("/api/payment/create-session/", {"invoice_id": str(stripe_invoice.public_id)}, format="json")
    session = stripe_server.pay(InvoicePayment.objects.get().gateway_session_id)
    body = sp.encode(sp.event("checkout.session.completed", session))
    response = api_client.post(
        f"/api/payment/webhook/stripe/{stripe_config['id']}/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sp.sign(body, "whsec_not_the_secret"),
    )
    assert response.status_code == 400
    assert PaymentWebhookEvent.objects.count() == 0
    assert InvoicePayment.objects.get().status == "pending"


@pytest.mark.parametrize("order", list(__import__("itertools").permutations(range(3))))
def test_stripe_events_in_any_order_and_twice_give_one_end_state(
    api_client, stripe_server, stripe_config, stripe_invoice, order
):
    """completed, expired (a late notice) and charge.refunded, each delivered twice, in every order."""
    body = api_client.post("/api/payment/create-session/", {"invoice_id": str(stripe_invoice.public_id)}, format="json").json()
    session = stripe_server.pay(InvoicePayment.objects.get().gateway_session_id)
    refund = sp.refund(amount=50000, payment_intent=session["payment_intent"])  # made in the dashboard
    charge = sp.charge(payment_intent=session["payment_intent"], amount=125000, amount_refunded=50000, refunds=[refund])
    events = [
        sp.event("checkout.session.completed", session),
        sp.event("checkout.session.expired", {**session, "status": "expired"}),
        sp.event("charge.refunded", charge),
    ]
    for index in [*order, *order]:
        assert send_webhook(api_client, stripe_config, events[index]).status_code == 200
    status = api_client.get(f"/api/payment/status/{body['payment_id']}/").json()
    assert (status["status"], status["amount_refunded"]) == ("partially_refunded", "500.00")
    assert PaymentWebhookEvent.objects.count() == 3
    assert PaymentRefund.objects.get().gateway_refund_id == refund["id"]
    stripe_invoice.refresh_from_db()
    # Made in the dashboard: a credit, so the invoice stays paid.
    assert (stripe_invoice.status, str(stripe_invoice.amount_paid), str(stripe_invoice.amount_credited)) == (
        "paid",
        "750.000",
        "500.000",
    )
