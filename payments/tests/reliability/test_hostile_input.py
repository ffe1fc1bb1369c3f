"""Hostile and careless input: a clear 4xx in the contract's error shape, and nothing stored."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from invoices.factories import InvoiceFactory
from invoices.models import Invoice
from payments.models import InvoicePayment, PaymentRefund, PaymentWebhookEvent
from payments.services import PaymentService
from payments.tests.reliability.conftest import completed_event, deliver
from sandbox import provider

pytestmark = pytest.mark.django_db

CREATE = "/api/payment/create-session/"
# An empty amount means "not given" (the default applies), so it is not in this list.
BAD_AMOUNTS = [
    "-1.00",
    "0",
    "0.00",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1.001",
    "1e400",
    "1e15",
    "abc",
    " ",
    "1,00",
    "0x10",
]


def _is_error(response, status: int, code: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, (response.status_code, response.content[:300])
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
    assert isinstance(body["details"], dict) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


def _raw(client, path: str, body: bytes | str, content_type: str = "application/json", **extra):  # type: ignore[no-untyped-def]
    return client.post(path, data=body, content_type=content_type, **extra)


# Checkout ----------------------------------------------------------------------------------


def test_malformed_json_is_a_400_and_opens_nothing(api_client, invoice):
    for body in ['{"invoice_id": ', "[1, 2", "{'invoice_id': 1}", '{"invoice_id": NaN}', "\xff\xfe"]:
        _is_error(_raw(Client(), CREATE, body), 400)
    assert InvoicePayment.objects.count() == 0


def test_json_that_is_not_an_object_is_a_400(invoice):
    for body in ["[]", "null", "42", '"text"', "true"]:
        _is_error(_raw(Client(), CREATE, body), 400, "invalid")
    assert InvoicePayment.objects.count() == 0


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"],
)
def test_a_body_that_is_not_json_is_a_415(invoice, content_type):
    _is_error(_raw(Client(), CREATE, f"invoice_id={invoice.public_id}", content_type), 415, "unsupported_media_type")
    assert InvoicePayment.objects.count() == 0


# (A JSON integer is a UUID in its integer form: unknown invoice, 404.)
@pytest.mark.parametrize(
    "invoice_id", ["not-a-uuid", "", None, [], {}, "00000000-0000-0000-0000-00000000000g", "1" * 10_000]
)
def test_a_bad_invoice_id_is_a_400(invoice, invoice_id):
    body = _is_error(_raw(Client(), CREATE, json.dumps({"invoice_id": invoice_id})), 400, "invalid")
    assert "invoice_id" in body["details"]
    assert InvoicePayment.objects.count() == 0


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_a_bad_checkout_amount_is_a_400_invalid_amount(owner, gateway, amount):
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")], allow_partial_payments=True)
    response = _raw(Client(), CREATE, json.dumps({"invoice_id": str(invoice.public_id), "amount": amount}))
    body = _is_error(response, 400)
    assert body["code"] in ("invalid_amount", "invalid")
    assert "amount" in body["details"]
    assert InvoicePayment.objects.count() == 0


@pytest.mark.parametrize("raw_amount", ["1.001", "-5", "0", "1e400", "100.001", "true", '["1"]', "{}"])
def test_a_bad_json_number_amount_is_a_400(owner, gateway, raw_amount):
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")], allow_partial_payments=True)
    response = _raw(Client(), CREATE, f'{{"invoice_id": "{invoice.public_id}", "amount": {raw_amount}}}')
    assert _is_error(response, 400)["code"] in ("invalid_amount", "invalid")
    assert InvoicePayment.objects.count() == 0


def test_amounts_with_more_places_than_the_currency_are_refused(owner, gateway):
    cases = [("USD", "100.00", "1.001"), ("JPY", "1000", "10.5"), ("KWD", "10.000", "1.0001")]
    for currency, price, amount in cases:
        invoice = InvoiceFactory(
            owner=owner, currency=currency, items=[("Work", 1, price)], allow_partial_payments=True
        )
        body = _is_error(
            _raw(Client(), CREATE, json.dumps({"invoice_id": str(invoice.public_id), "amount": amount})), 400, "invalid_amount"
        )
        assert "amount" in body["details"]
    assert InvoicePayment.objects.count() == 0
    # The currency's own places are fine: 3 for KWD, none for JPY.
    kwd = Invoice.objects.get(owner=owner, currency="KWD")
    assert _raw(Client(), CREATE, json.dumps({"invoice_id": str(kwd.public_id), "amount": "1.250"})).status_code == 201


def test_a_huge_json_body_is_refused_and_opens_nothing(invoice):
    body = json.dumps({"invoice_id": str(invoice.public_id), "padding": "x" * (3 * 1024 * 1024)})
    _is_error(_raw(Client(), CREATE, body), 413, "payload_too_large")
    assert InvoicePayment.objects.count() == 0


# Refunds -----------------------------------------------------------------------------------


@pytest.fixture
def paid(invoice, gateway):  # type: ignore[no-untyped-def]
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    assert deliver(Client(), gateway, completed_event(payment)).status_code == 200
    return payment


@pytest.mark.parametrize("amount", [*BAD_AMOUNTS, "100.01", "1000"])
def test_a_bad_refund_amount_is_a_400_and_refunds_nothing(owner_client, paid, amount):
    response = owner_client.post(f"/api/payment/refund/{paid.pk}/", {"amount": amount}, format="json")
    body = _is_error(response, 400)
    assert body["code"] in ("invalid_amount", "invalid")
    assert PaymentRefund.objects.count() == 0
    paid.refresh_from_db()
    assert paid.status == "succeeded"


def test_a_refund_reason_too_long_is_a_400(owner_client, paid):
    response = owner_client.post(f"/api/payment/refund/{paid.pk}/", {"reason": "x" * 501}, format="json")
    _is_error(response, 400, "invalid")
    assert PaymentRefund.objects.count() == 0


# Invoices ----------------------------------------------------------------------------------


@pytest.mark.parametrize("currency", ["XXX", "US", "DOLLAR", "", "€", None, 840])
def test_an_unknown_currency_is_a_400_and_creates_no_invoice(owner_client, currency):
    body = {
        "client_name": "Acme",
        "currency": currency,
        "items": [{"description": "Work", "quantity": "1", "unit_price": "10.00"}],
    }
    _is_error(owner_client.post("/api/invoices/", body, format="json"), 400, "invalid")
    assert Invoice.objects.count() == 0


# Malformed ids in paths ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/payment/status/not-a-uuid/"),
        ("get", "/api/payment/public/invoice/123/"),
        ("post", "/api/payment/refund/not-a-uuid/"),
        ("post", "/api/invoices/null/send/"),
        ("patch", "/api/payment/gateways/%00/"),
        ("delete", "/api/invoices/..%2F..%2Fetc/"),
        ("post", "/api/payment/webhook/sandbox/not-a-uuid/"),
    ],
)
def test_a_malformed_id_in_a_path_is_a_json_404(owner, method, path):
    from accounts.tokens import issue_token

    token = issue_token(owner)[1]
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    if method == "get":
        response = Client().get(path, **auth)
    else:
        response = getattr(Client(), method)(path, data="{}", content_type="application/json", **auth)
    _is_error(response, 404, "not_found")


# Webhooks ----------------------------------------------------------------------------------


def _signed(gateway, payload: dict, *, body: bytes | None = None, timestamp: int | None = None):  # type: ignore[no-untyped-def]
    raw = provider.encode(payload) if body is None else body
    secret = gateway.get_credentials()["webhook_secret"]
    return _raw(Client(), gateway.webhook_path, raw, HTTP_SANDBOX_SIGNATURE=provider.sign(raw, secret, timestamp))


def test_a_webhook_body_over_the_cap_is_a_413_and_stores_nothing(settings, gateway, invoice):
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    payload = completed_event(payment)
    payload["padding"] = "x" * (settings.WEBHOOK_MAX_BODY_BYTES + 1)
    _is_error(_signed(gateway, payload), 413, "payload_too_large")
    assert PaymentWebhookEvent.objects.count() == 0


def test_a_webhook_body_over_djangos_upload_limit_is_a_413_too(gateway):
    _is_error(_raw(Client(), gateway.webhook_path, b"{" + b" " * (3 * 1024 * 1024) + b"}"), 413, "payload_too_large")
    assert PaymentWebhookEvent.objects.count() == 0


def test_webhooks_with_bad_signatures_or_bodies_are_400_and_store_nothing(gateway, invoice):
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    payload = completed_event(payment)
    body = provider.encode(payload)
    path = gateway.webhook_path
    _is_error(_raw(Client(), path, body), 400, "invalid_signature")  # no header
    _is_error(_raw(Client(), path, body, HTTP_SANDBOX_SIGNATURE="garbage"), 400, "invalid_signature")
    _is_error(
        _raw(Client(), path, body, HTTP_SANDBOX_SIGNATURE=provider.sign(body, "whsec_wrong")), 400, "invalid_signature"
    )
    _is_error(_signed(gateway, payload, timestamp=int(time.time()) - 3600), 400, "invalid_signature")  # replayed later
    tampered = body.replace(b'"paid"', b'"unpaid"')
    _is_error(
        _raw(
            Client(),
            path,
            tampered,
            HTTP_SANDBOX_SIGNATURE=provider.sign(body, gateway.get_credentials()["webhook_secret"]),
        ),
        400,
    )
    for bad in [
        b"not json",
        b"[]",
        b"{}",
        b'{"id": "x", "type": "checkout.completed"}',
        b'{"id": "x", "type": "t", "data": {"object": 5}}',
        b'{"id": "x", "type": "refund.updated", "data": {"object": {"refunds": [{"amount": "NaN?"}]}}}',
    ]:
        _is_error(_signed(gateway, {}, body=bad), 400, None)
    assert PaymentWebhookEvent.objects.count() == 0
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_webhooks_for_unknown_gateways_or_configs_are_404(gateway):
    _is_error(_raw(Client(), "/api/payment/webhook/nope/", b"{}"), 404)
    _is_error(_raw(Client(), "/api/payment/webhook/sandbox/00000000-0000-0000-0000-000000000000/", b"{}"), 404)
    assert PaymentWebhookEvent.objects.count() == 0


def test_a_signed_event_for_a_payment_we_do_not_know_is_stored_as_ignored(gateway):
    payload = {
        "id": "evt_sbx_stranger",
        "type": "checkout.completed",
        "created": int(time.time()),
        "data": {
            "object": {
                "id": "cs_sbx_stranger",
                "payment_status": "paid",
                "amount": "5.00",
                "currency": "USD",
                "metadata": {},
            }
        },
    }
    response = _signed(gateway, payload)
    assert response.status_code == 200
    assert PaymentWebhookEvent.objects.get().status == "ignored"


def test_a_signed_event_whose_amount_differs_is_held_for_review_not_applied(gateway, invoice):
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    payload = completed_event(payment)
    payload["data"]["object"]["amount"] = "1.00"  # the payer paid 1.00 for a 100.00 checkout

    assert _signed(gateway, payload).status_code == 200

    assert PaymentWebhookEvent.objects.get().status == "flagged"
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert "1.00" in payment.flagged_reason
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("sent", 0)


def test_one_users_webhook_secret_cannot_move_another_users_payment(gateway, invoice):
    from accounts.factories import UserFactory
    from payments.factories import sandbox_config

    victim_payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    payload = completed_event(victim_payment)
    attacker_config = sandbox_config(owner=UserFactory())

    # Signed with the attacker's own secret, sent to the attacker's own endpoint: not ours to apply.
    assert _signed(attacker_config, payload).status_code == 200
    assert PaymentWebhookEvent.objects.get().status == "ignored"
    # Signed with the attacker's secret, sent to the victim's endpoint: the signature fails.
    raw = provider.encode({**payload, "id": "evt_sbx_other"})
    forged = _raw(
        Client(),
        gateway.webhook_path,
        raw,
        HTTP_SANDBOX_SIGNATURE=provider.sign(raw, attacker_config.get_credentials()["webhook_secret"]),
    )
    _is_error(forged, 400, "invalid_signature")
    victim_payment.refresh_from_db()
    assert victim_payment.status == "pending"
    invoice.refresh_from_db()
    assert invoice.amount_paid == 0


# Deeply nested and unstorable JSON -----------------------------------------------------------

DEEP = "[" * 100_000


@pytest.mark.parametrize(
    ("path", "authenticated"),
    [(CREATE, False), ("/api/auth/login/", False), ("/api/auth/register/", False), ("/api/invoices/", True)],
)
def test_deeply_nested_json_is_a_400_not_a_500(owner, path, authenticated):
    client = Client()
    if authenticated:
        client.force_login(owner)
    body = _is_error(_raw(client, path, DEEP), 400, "malformed_request")
    assert "nested" in body["message"]
    assert InvoicePayment.objects.count() == 0 and Invoice.objects.count() == 0


def test_a_signed_webhook_nested_too_deep_is_a_400_and_stores_nothing(gateway):
    body = b'{"id": "evt_deep", "type": "checkout.completed", "data": {"object": ' + b"[" * 100_000 + b"}}"
    _is_error(_signed(gateway, {}, body=body), 400, "invalid_payload")
    assert PaymentWebhookEvent.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"metadata": "x"},
        {"metadata": ["payment_id"]},
        {"amount": [1]},
        {"amount": {"value": "100.00"}},
        {"amount": True},
        {"currency": ["USD"]},
        {"id": {"x": 1}},
        {"payment_reference": 5},
        {"refunds": "r"},
    ],
)
def test_a_signed_sandbox_event_with_fields_of_the_wrong_type_is_a_400(gateway, invoice, change):
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    payload = completed_event(payment)
    payload["type"] = "refund.updated" if "refunds" in change else payload["type"]
    payload["data"]["object"].update(change)
    _is_error(_signed(gateway, payload), 400, "invalid_payload")
    assert PaymentWebhookEvent.objects.count() == 0
    payment.refresh_from_db()
    assert payment.status == "pending"


@pytest.mark.parametrize(
    "raw_text",
    [
        '"failure_message": "a\\u0000b"',  # PostgreSQL's jsonb has no NUL character
        '"failure_message": "\\ud800"',  # a lone surrogate is no character at all
        '"note\\u0000": 1',
    ],
)
def test_a_signed_webhook_with_text_the_database_cannot_store_is_a_400(gateway, invoice, raw_text):
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    body = provider.encode(completed_event(payment)).replace(b'"metadata"', raw_text.encode() + b', "metadata"', 1)
    assert raw_text.encode() in body
    _is_error(_signed(gateway, {}, body=body), 400, "invalid_payload")
    assert PaymentWebhookEvent.objects.count() == 0
    payment.refresh_from_db()
    assert payment.status == "pending"


# The Stripe adapter: whatever a signed body holds, a GatewayEvent or its own "malformed" error --


def _stripe_objects():  # type: ignore[no-untyped-def]
    from payments.tests.gateways import stripe_payloads as sp

    return {
        "checkout.session.completed": sp.checkout_session(status="complete", payment_status="paid"),
        "payment_intent.payment_failed": sp.payment_intent(),
        "charge.refunded": sp.charge(),
        "refund.updated": sp.refund(),
    }


WRONG_VALUES = [[1], "x", {"a": 1}, 10**30, -(10**30), True, None, "\ud800"]


@pytest.mark.parametrize("event_type", list(_stripe_objects()))
def test_a_signed_stripe_event_with_any_field_of_the_wrong_type_is_read_or_refused(event_type):
    from payments.errors import WebhookPayloadInvalid
    from payments.gateways.base import GatewayEvent
    from payments.gateways.stripe import StripeGateway
    from payments.tests.gateways import stripe_payloads as sp

    secret = "whsec_hostile0000000000000000000000000001"
    stripe_gateway = StripeGateway(credentials={"webhook_secret": secret}, mode="test", config_id="c1")
    obj = _stripe_objects()[event_type]
    payloads = [{**sp.event(event_type, obj), "created": 10**30}]
    payloads += [sp.event(event_type, {**obj, key: value}) for key in obj for value in WRONG_VALUES]
    for payload in payloads:
        body = json.dumps(payload).encode("utf-8", "surrogatepass")
        try:
            event = stripe_gateway.parse_webhook(body=body, headers=sp.signed_headers(body, secret), secrets=[secret])
        except WebhookPayloadInvalid:
            continue
        assert isinstance(event, GatewayEvent)


def test_a_signed_stripe_event_nested_too_deep_or_with_a_nul_is_refused():
    from payments.errors import WebhookPayloadInvalid
    from payments.gateways.stripe import StripeGateway
    from payments.tests.gateways import stripe_payloads as sp

    secret = "whsec_hostile0000000000000000000000000001"
    stripe_gateway = StripeGateway(credentials={"webhook_secret": secret}, mode="test", config_id="c1")
    good = sp.encode(sp.event("checkout.session.completed", sp.checkout_session()))
    for body in [good[:-1] + b', "deep": ' + b"[" * 100_000 + b"}", good.replace(b'"livemode"', b'"x\\u0000": 1, "livemode"')]:
        with pytest.raises(WebhookPayloadInvalid):
            stripe_gateway.parse_webhook(body=body, headers=sp.signed_headers(body, secret), secrets=[secret])


def test_an_adapter_that_trips_over_a_signed_body_answers_400_not_500(gateway, monkeypatch):
    from payments.gateways.sandbox import SandboxGateway

    def broken(self, *, body, headers, secrets):  # type: ignore[no-untyped-def]
        raise KeyError("data")  # a plugin that indexes a payload it did not check

    monkeypatch.setattr(SandboxGateway, "parse_webhook", broken)

    _is_error(_signed(gateway, {"id": "evt_x", "type": "checkout.completed"}), 400, "invalid_payload")
    assert PaymentWebhookEvent.objects.count() == 0
