"""Gateway secrets: encrypted at rest, never in an API response, a log record or an admin page,
and re-encrypted by rotate_credentials_key so an old key can be retired."""

from __future__ import annotations

import json
import logging
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from invoices.factories import InvoiceFactory
from payments import crypto
from payments.models import PaymentGatewayConfig
from payments.services import PaymentService
from payments.tests.reliability.conftest import completed_event, deliver

pytestmark = pytest.mark.django_db

SECRET_KEY = "sk_test_51ReliabilityS3cretKeyNeverShown0000000000Zq9"
NEW_SECRET_KEY = "sk_test_51ReliabilityRotatedKeyNeverShown111111111Xy7"
PUBLISHABLE_KEY = "pk_test_51ReliabilityPublishable000000000000000Zq9"
WEBHOOK_SECRET = "whsec_reliabilityWebhookS3cretNeverShown00000"
SECRETS = (SECRET_KEY, NEW_SECRET_KEY, WEBHOOK_SECRET, "S3cretKeyNeverShown", "RotatedKeyNeverShown", "WebhookS3cret")


def _raw_credentials() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT credentials_encrypted FROM {PaymentGatewayConfig._meta.db_table}")
        return [row[0] for row in cursor.fetchall()]


def _assert_no_secret(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a secret appears in {where}"


def _log_text(caplog) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        parts.extend(repr(v) for k, v in vars(record).items() if k not in ("msg", "args", "exc_info"))
    return "\n".join(parts)


@pytest.fixture
def stripe_down(httpserver, settings):  # type: ignore[no-untyped-def]
    """Stripe's API refusing every call, quoting the key masked as Stripe does (the SDK logs
    whole response bodies at DEBUG, so what Stripe sends back must not hold the key)."""
    settings.STRIPE_API_BASE = httpserver.url_for("/").rstrip("/")
    error = {
        "error": {
            "type": "invalid_request_error",
            "message": "Invalid API Key provided: sk_test_****" + SECRET_KEY[-4:],
        }
    }
    httpserver.expect_request("/v1/balance").respond_with_json(error, status=401)
    httpserver.expect_request("/v1/checkout/sessions", method="POST").respond_with_json(
        {"error": {"type": "invalid_request_error", "message": "Your account cannot currently make live charges."}},
        status=400,
    )
    return httpserver


def test_secrets_never_leave_the_database_in_clear(caplog, stripe_down, api_client):
    caplog.set_level(logging.DEBUG)
    owner = UserFactory()
    owner_client = APIClient()
    owner_client.force_authenticate(owner)
    seen: list[str] = []

    def keep(response):  # type: ignore[no-untyped-def]
        seen.append(response.content.decode(errors="replace"))
        return response

    credentials = {"secret_key": SECRET_KEY, "publishable_key": PUBLISHABLE_KEY, "webhook_secret": WEBHOOK_SECRET}
    # Saving asks Stripe about the keys once (accepted); every later call is refused.
    stripe_down.expect_oneshot_request("/v1/balance").respond_with_json(
        {"object": "balance", "livemode": False, "available": [], "pending": []}
    )
    created = keep(
        owner_client.post(
            "/api/payment/gateways/", {"gateway_name": "stripe", "credentials": credentials}, format="json"
        )
    )
    assert created.status_code == 201, created.json()
    config_id = created.json()["id"]
    assert created.json()["credentials_preview"]["secret_key"].startswith("sk_test_")
    keep(owner_client.get("/api/payment/gateways/"))
    keep(owner_client.get(f"/api/payment/gateways/{config_id}/"))
    refused = keep(owner_client.post(f"/api/payment/gateways/{config_id}/verify/"))
    assert refused.status_code == 400 and refused.json()["code"] == "gateway_credentials_invalid"
    # A malformed key is refused without echoing it.
    bad = keep(
        owner_client.patch(
            f"/api/payment/gateways/{config_id}/", {"credentials": {"secret_key": "xx_" + SECRET_KEY}}, format="json"
        )
    )
    assert bad.status_code == 400
    # New keys are shown to Stripe before they are saved: accepted once more.
    stripe_down.expect_oneshot_request("/v1/balance").respond_with_json(
        {"object": "balance", "livemode": False, "available": [], "pending": []}
    )
    keep(
        owner_client.patch(
            f"/api/payment/gateways/{config_id}/", {"credentials": {"secret_key": NEW_SECRET_KEY}}, format="json"
        )
    )
    # A checkout on the Stripe config, refused by Stripe with the key in its message.
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "10.00")])
    failed = keep(api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json"))
    assert failed.status_code in (400, 502), failed.json()
    # A forged Stripe webhook for that config.
    forged = Client().post(
        f"/api/payment/webhook/stripe/{config_id}/",
        b'{"id": "evt_1"}',
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=00",
    )
    assert forged.status_code == 400
    seen.append(forged.content.decode())
    keep(api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/"))

    for body in seen:
        _assert_no_secret(body, "an API response")
    _assert_no_secret(_log_text(caplog), "a log record")
    assert len(caplog.records) > 5  # the flow did log (at DEBUG): the search saw something
    for stored in _raw_credentials():
        _assert_no_secret(stored, "the database column")
        assert "sk_test" not in stored and "whsec" not in stored
    config = PaymentGatewayConfig.objects.get(pk=config_id)
    assert config.get_credentials()["secret_key"] == NEW_SECRET_KEY  # and it is still usable


@pytest.fixture
def handler_output():  # type: ignore[no-untyped-def]
    """What the console handler configured from settings.LOGGING writes (not only what caplog saw)."""
    (console,) = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    out = StringIO()
    previous = console.setStream(out)
    yield out
    console.setStream(previous)


def test_a_stripe_error_quoting_the_key_is_logged_redacted(handler_output, httpserver, settings):
    # A Stripe-compatible server (STRIPE_API_BASE) may quote the whole key; the SDK logs the
    # error text at INFO on the "stripe" logger.
    settings.STRIPE_API_BASE = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request("/v1/balance").respond_with_json(
        {"error": {"type": "invalid_request_error", "message": f"Invalid API Key provided: {SECRET_KEY}"}}, status=401
    )
    owner = UserFactory()
    owner_client = APIClient()
    owner_client.force_authenticate(owner)
    credentials = {"secret_key": SECRET_KEY, "publishable_key": PUBLISHABLE_KEY, "webhook_secret": WEBHOOK_SECRET}
    created = owner_client.post(
        "/api/payment/gateways/", {"gateway_name": "stripe", "credentials": credentials}, format="json"
    )
    # Saving asks Stripe about the keys: its refusal (quoting the key) is logged redacted.
    assert created.status_code == 400, created.json()
    written = handler_output.getvalue()
    assert "Invalid API Key provided: sk_test_[redacted]" in written
    _assert_no_secret(written, "the log output")


def test_a_sandbox_flow_logs_no_webhook_secret(caplog, owner_client, invoice, gateway, checkout, api_client):
    caplog.set_level(logging.DEBUG)
    secret = gateway.get_credentials()["webhook_secret"]
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    assert deliver(Client(), gateway, completed_event(payment)).status_code == 200
    assert owner_client.post(f"/api/payment/refund/{payment.pk}/", {"amount": "5.00"}, format="json").status_code == 201
    listed = owner_client.get("/api/payment/gateways/").content.decode()
    assert secret not in listed
    assert secret not in _log_text(caplog)
    assert all(secret not in stored for stored in _raw_credentials())


def test_admin_pages_never_show_credentials(client):
    owner = UserFactory()
    config = PaymentGatewayConfig.objects.create(owner=owner, gateway_name="stripe", mode="test")
    config.set_credentials(
        {"secret_key": SECRET_KEY, "publishable_key": PUBLISHABLE_KEY, "webhook_secret": WEBHOOK_SECRET},
        {"secret_key": "sk_test_...Zq9"},
    )
    config.save()
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    base = "/admin/payments/paymentgatewayconfig/"
    for path in (base, f"{base}{config.pk}/change/", f"{base}?q={config.pk}"):
        page = client.get(path)
        assert page.status_code == 200, path
        html = page.content.decode()
        assert str(config.pk) in html or "paymentgatewayconfig" in html
        _assert_no_secret(html, f"the admin page {path}")
        assert config.credentials_encrypted not in html


def test_rotating_the_key_lets_the_old_key_be_removed(settings):
    old_key = settings.CREDENTIALS_ENCRYPTION_KEYS[0]
    owner = UserFactory()
    config = PaymentGatewayConfig.objects.create(owner=owner, gateway_name="stripe")
    config.set_credentials({"secret_key": SECRET_KEY}, {})
    config.save()
    new_key = Fernet.generate_key().decode()

    # Without rotation, dropping the old key loses the credentials.
    settings.CREDENTIALS_ENCRYPTION_KEYS = [new_key]
    with pytest.raises(crypto.CredentialsDecryptionError):
        PaymentGatewayConfig.objects.get(pk=config.pk).get_credentials()

    settings.CREDENTIALS_ENCRYPTION_KEYS = [new_key, old_key]
    out = StringIO()
    call_command("rotate_credentials_key", stdout=out)
    assert "1 gateway configuration" in out.getvalue()

    settings.CREDENTIALS_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    assert PaymentGatewayConfig.objects.get(pk=config.pk).get_credentials() == {"secret_key": SECRET_KEY}
    (stored,) = _raw_credentials()
    assert SECRET_KEY not in stored
    with pytest.raises(Exception):  # noqa: B017 - any failure: the old key alone cannot read it
        Fernet(old_key.encode()).decrypt(stored.encode())
    assert json.loads(Fernet(new_key.encode()).decrypt(stored.encode())) == {"secret_key": SECRET_KEY}
