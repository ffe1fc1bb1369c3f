"""The Django admin: every payment model listed and searchable, actions, and no secrets shown."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentRefund, PaymentWebhookEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pass-1234-word")
    client.force_login(admin)
    return client


def test_every_payment_page_renders(admin_client, invoice, pay):
    pay(invoice)
    for name in ("paymentgatewayconfig", "invoicepayment", "paymentrefund", "paymentwebhookevent"):
        listing = admin_client.get(f"/admin/payments/{name}/?q=INV")
        assert listing.status_code == 200, name
    payment = InvoicePayment.objects.get()
    assert admin_client.get(f"/admin/payments/invoicepayment/{payment.pk}/change/").status_code == 200
    event = PaymentWebhookEvent.objects.get()
    page = admin_client.get(f"/admin/payments/paymentwebhookevent/{event.pk}/change/").content.decode()
    assert "checkout.completed" in page and event.event_id in page


def test_config_pages_never_show_a_secret(admin_client, owner):
    from payments.services import configs

    secret = "sk_test_51Hsupersecretvalue4242"
    config = configs.create_config(
        owner=owner, gateway_name="stripe", credentials={"secret_key": secret, "publishable_key": "pk_test_abcdefgh"}
    )
    for url in ("/admin/payments/paymentgatewayconfig/", f"/admin/payments/paymentgatewayconfig/{config.pk}/change/"):
        html = admin_client.get(url).content.decode()
        assert secret not in html
        assert config.credentials_encrypted not in html
    assert "sk_test_...4242" in admin_client.get(f"/admin/payments/paymentgatewayconfig/{config.pk}/change/").content.decode()


@pytest.mark.parametrize(
    ("action", "invoice_status", "effect"),
    [("refund_in_full", "paid", "credit"), ("refund_in_full_reopen", "sent", "reopen")],
)
def test_refund_actions(admin_client, invoice, pay, action, invoice_status, effect):
    payment_id = pay(invoice)
    response = admin_client.post(
        "/admin/payments/invoicepayment/", {"action": action, "_selected_action": [payment_id]}, follow=True
    )
    assert response.status_code == 200
    assert "refund of 100.00 USD succeeded" in response.content.decode()
    assert InvoicePayment.objects.get().status == "refunded"
    invoice.refresh_from_db()
    assert invoice.status == invoice_status
    refund = PaymentRefund.objects.get()
    assert refund.invoice_effect == effect
    for url in (
        "/admin/payments/paymentrefund/",
        f"/admin/payments/paymentrefund/{refund.pk}/change/",
        f"/admin/payments/invoicepayment/{payment_id}/change/",
    ):
        page = admin_client.get(url).content.decode()
        assert effect.capitalize() in page and "100.00" in page and "100.000" not in page, url


def test_refresh_action(admin_client, invoice, checkout, api_client, monkeypatch):
    from payments.webhooks import receive

    session = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").json()
    monkeypatch.setattr(receive, "receive", lambda **kwargs: None)
    checkout.pay(session["checkout_url"])
    admin_client.post(
        "/admin/payments/invoicepayment/", {"action": "refresh_from_gateway", "_selected_action": [session["payment_id"]]}
    )
    assert InvoicePayment.objects.get().status == "succeeded"


def test_reprocess_action(admin_client, invoice, pay):
    pay(invoice)
    event = PaymentWebhookEvent.objects.get()
    PaymentWebhookEvent.objects.filter(pk=event.pk).update(status="failed", error="boom")
    admin_client.post("/admin/payments/paymentwebhookevent/", {"action": "reprocess", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert (event.status, event.error) == ("processed", "")


def test_config_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get("/admin/payments/paymentgatewayconfig/add/").status_code == 403
    assert PaymentGatewayConfig.objects.count() == 0
