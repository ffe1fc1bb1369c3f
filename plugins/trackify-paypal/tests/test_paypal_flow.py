"""PayPal end to end through Trackify's API, against the local fake of PayPal's REST API:
connecting (verified keys, a registered webhook), checkout, capture on the payer's return or
on the approval webhook, pending and denied captures, refunds, and webhooks in any order."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from paypal_helpers import CREDENTIALS, deliver

from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentRefund, PaymentWebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)

FRONTEND_TEST = (
    Path(__file__).resolve().parents[3]
    / "frontend/src/features/gateways/pages/__tests__/PaymentSettingsPayPal.test.jsx"
)


def status_of(api_client, payment):  # type: ignore[no-untyped-def]
    return api_client.get(f"/api/payment/status/{payment.pk}/").json()


def test_connecting_verifies_the_keys_and_registers_the_webhook(connected, fake_paypal, owner_client):
    credentials = connected.get_credentials()
    assert credentials["webhook_id"] in fake_paypal.webhooks
    assert fake_paypal.webhooks[credentials["webhook_id"]]["url"] == connected.webhook_url
    assert connected.verified_at is not None
    shown = owner_client.get(f"/api/payment/gateways/{connected.pk}/").json()
    assert CREDENTIALS["client_secret"] not in str(shown)
    assert owner_client.delete(f"/api/payment/gateways/{connected.pk}/").status_code == 204
    assert fake_paypal.webhooks == {}


def test_gateway_types_offer_paypal_with_field_help(owner_client):
    types = {t["name"]: t for t in owner_client.get("/api/payment/gateway-types/").json()}
    fields = types["paypal"]["credential_fields"]
    assert [(f["name"], f["secret"]) for f in fields] == [("client_id", False), ("client_secret", True)]
    assert types["paypal"]["needs_webhook_setup"] is False
    # The settings page's test renders exactly what this API answers.
    page_test = FRONTEND_TEST.read_text()
    assert all(f["help_text"] and f["help_text"] in page_test for f in fields)


def test_wrong_keys_are_refused_on_save(owner_client, fake_paypal):
    wrong = {**CREDENTIALS, "client_secret": "EFwrongSecret0123456789abcdefghijXYZ"}
    refused = owner_client.post(
        "/api/payment/gateways/", {"gateway_name": "paypal", "credentials": wrong}, format="json"
    )
    assert refused.status_code == 400
    assert "Sandbox app" in refused.json()["message"]
    assert not PaymentGatewayConfig.objects.filter(gateway_name="paypal").exists()


def test_paid_on_return_then_partially_refunded(api_client, owner_client, connected, invoice, checkout, fake_paypal):
    assert status_of(api_client, checkout)["status"] == "pending"  # not approved yet: nothing captured
    assert fake_paypal.calls("POST", f"/v2/checkout/orders/{checkout.gateway_session_id}/capture") == []
    fake_paypal.approve(checkout.gateway_session_id)
    from django.core.cache import cache

    cache.clear()  # the page's refresh interval has passed
    assert status_of(api_client, checkout)["status"] == "succeeded"
    checkout.refresh_from_db()
    assert (checkout.fee, checkout.net) == (Decimal("3.49"), Decimal("96.51"))
    assert owner_client.get(f"/api/invoices/{invoice.pk}/").json()["status"] == "paid"

    # PayPal's own capture webhook arrives afterwards, twice: nothing changes.
    capture = fake_paypal.capture_of(checkout.gateway_session_id)
    deliver(api_client, fake_paypal, connected, "PAYMENT.CAPTURE.COMPLETED", capture, times=2)
    assert PaymentWebhookEvent.objects.filter(gateway_name="paypal").count() == 1

    refunded = owner_client.post(
        f"/api/payment/refund/{checkout.pk}/", {"amount": "40.00", "reason": "Overbilled"}, format="json"
    )
    assert refunded.status_code == 201, refunded.json()
    assert refunded.json()["status"] == "succeeded" and refunded.json()["payment_status"] == "partially_refunded"
    paypal_refund = fake_paypal.refunds[PaymentRefund.objects.get().gateway_refund_id]
    assert paypal_refund["amount"] == {"currency_code": "USD", "value": "40.00"}
    # The refund's webhook names it: still one refund.
    assert deliver(api_client, fake_paypal, connected, "PAYMENT.CAPTURE.REFUNDED", paypal_refund).status_code == 200
    assert PaymentRefund.objects.count() == 1
    assert status_of(api_client, checkout)["amount_refunded"] == "40.00"


def test_payer_who_never_returns_is_captured_on_the_approval_webhook(api_client, connected, checkout, fake_paypal):
    fake_paypal.approve(checkout.gateway_session_id)
    order = fake_paypal.orders[checkout.gateway_session_id]
    deliver(api_client, fake_paypal, connected, "CHECKOUT.ORDER.APPROVED", order, times=2)
    checkout.refresh_from_db()
    assert checkout.status == "succeeded"
    assert checkout.gateway_payment_reference == fake_paypal.capture_of(checkout.gateway_session_id)["id"]
    assert len(order["purchase_units"][0]["payments"]["captures"]) == 1


def test_return_and_approval_webhook_capture_once(api_client, connected, checkout, fake_paypal):
    """The payer's return and the approval webhook both ask for the capture with the same key."""
    from payments.services import status_sync

    fake_paypal.approve(checkout.gateway_session_id)
    order = dict(fake_paypal.orders[checkout.gateway_session_id])  # the webhook's copy, still APPROVED
    first = status_sync.capture(checkout)  # the return's capture call, not yet applied
    assert deliver(api_client, fake_paypal, connected, "CHECKOUT.ORDER.APPROVED", order).status_code == 200
    status_sync.apply_snapshot(payment_id=checkout.pk, snapshot=first)
    capture_calls = fake_paypal.calls("POST", f"/v2/checkout/orders/{checkout.gateway_session_id}/capture")
    assert len(capture_calls) == 2
    assert {call[2]["paypal-request-id"] for call in capture_calls} == {f"{checkout.idempotency_key}-capture"}
    assert len(fake_paypal.orders[checkout.gateway_session_id]["purchase_units"][0]["payments"]["captures"]) == 1
    assert status_of(api_client, checkout)["status"] == "succeeded"


def test_pending_capture_waits_for_completion(api_client, connected, checkout, fake_paypal):
    fake_paypal.capture_status = "PENDING"
    fake_paypal.approve(checkout.gateway_session_id)
    deliver(
        api_client, fake_paypal, connected, "CHECKOUT.ORDER.APPROVED", fake_paypal.orders[checkout.gateway_session_id]
    )
    assert status_of(api_client, checkout)["status"] == "processing"
    capture = dict(fake_paypal.capture_of(checkout.gateway_session_id), status="COMPLETED")
    assert deliver(api_client, fake_paypal, connected, "PAYMENT.CAPTURE.COMPLETED", capture).status_code == 200
    assert status_of(api_client, checkout)["status"] == "succeeded"


def test_pending_capture_denied(api_client, owner_client, connected, invoice, checkout, fake_paypal):
    fake_paypal.capture_status = "PENDING"
    fake_paypal.approve(checkout.gateway_session_id)
    deliver(
        api_client, fake_paypal, connected, "CHECKOUT.ORDER.APPROVED", fake_paypal.orders[checkout.gateway_session_id]
    )
    denied = dict(
        fake_paypal.capture_of(checkout.gateway_session_id),
        status="DECLINED",
        status_details={"reason": "DENIED_BY_RISK"},
    )
    assert deliver(api_client, fake_paypal, connected, "PAYMENT.CAPTURE.DENIED", denied).status_code == 200
    shown = status_of(api_client, checkout)
    assert shown["status"] == "failed"
    checkout.refresh_from_db()
    assert "DENIED_BY_RISK" in checkout.failure_message
    assert owner_client.get(f"/api/invoices/{invoice.pk}/").json()["status"] != "paid"


def test_out_of_order_completion_before_approval_and_dashboard_refund(api_client, connected, checkout, fake_paypal):
    fake_paypal.approve(checkout.gateway_session_id)
    order = dict(fake_paypal.orders[checkout.gateway_session_id])
    from payments.services import status_sync

    captured = status_sync.capture(checkout)  # captured at PayPal; our side has not heard yet
    capture = fake_paypal.capture_of(checkout.gateway_session_id)
    # A refund made in PayPal's dashboard is reported before the capture's own completion.
    dashboard = fake_paypal.make_refund(capture, Decimal("10.00"), status="COMPLETED")
    early = deliver(api_client, fake_paypal, connected, "PAYMENT.CAPTURE.REFUNDED", dashboard)
    assert early.status_code == 200 and PaymentWebhookEvent.objects.get().status == "waiting"
    assert deliver(api_client, fake_paypal, connected, "PAYMENT.CAPTURE.COMPLETED", capture).status_code == 200
    assert deliver(api_client, fake_paypal, connected, "CHECKOUT.ORDER.APPROVED", order).status_code == 200  # late
    checkout.refresh_from_db()
    assert checkout.status == "partially_refunded" and checkout.amount_refunded == Decimal("10.00")
    refund = PaymentRefund.objects.get()
    assert (refund.gateway_refund_id, refund.source) == (dashboard["id"], "gateway")
    assert captured.payment_reference == checkout.gateway_payment_reference


def test_forged_webhook_is_refused_and_nothing_stored(api_client, connected, checkout, fake_paypal):
    fake_paypal.approve(checkout.gateway_session_id)
    capture = {
        "id": "FORGED",
        "status": "COMPLETED",
        "custom_id": str(checkout.pk),
        "amount": {"currency_code": "USD", "value": "100.00"},
    }
    body, headers = fake_paypal.delivery("PAYMENT.CAPTURE.COMPLETED", capture, webhook_id="WH-NOT-THIS-ONE")
    extra = {"HTTP_" + name.replace("-", "_"): value for name, value in headers.items()}
    forged = api_client.post(connected.webhook_path, body, content_type="application/json", **extra)
    assert forged.status_code == 400 and forged.json()["code"] == "invalid_signature"
    assert not PaymentWebhookEvent.objects.exists()
    checkout.refresh_from_db()
    assert checkout.status == "pending"


def test_paypal_unreachable_is_a_502_with_nothing_half_written(api_client, owner_client, invoice, fake_paypal):
    fake_paypal.stop()
    answer = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json")
    assert answer.status_code == 502 and answer.json()["code"] == "gateway_error"
    assert not InvoicePayment.objects.exists()
    assert owner_client.get(f"/api/invoices/{invoice.pk}/").json()["status"] == invoice.status


def test_currency_paypal_cannot_take_is_refused_at_checkout(api_client, owner, connected, fake_paypal):
    from invoices.factories import InvoiceFactory

    invoice = InvoiceFactory(owner=owner, currency="INR", items=[("Work", 1, "500.00")])
    orders_before = len(fake_paypal.orders)
    answer = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json")
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_amount"
    assert "INR" in answer.json()["message"]
    assert len(fake_paypal.orders) == orders_before


def test_keys_of_another_paypal_app_move_the_webhook_to_it(api_client, owner_client, connected, checkout, fake_paypal):
    other = {"client_id": "AZotherAppClientId0123456789abcd", "client_secret": "EFotherAppSecret0123456789abcdefgh"}
    fake_paypal.add_app(other["client_id"], other["client_secret"])
    old_webhook = connected.get_credentials()["webhook_id"]
    changed = owner_client.patch(f"/api/payment/gateways/{connected.pk}/", {"credentials": other}, format="json")
    assert changed.status_code == 200, changed.json()
    connected.refresh_from_db()
    new_webhook = connected.get_credentials()["webhook_id"]
    assert new_webhook != old_webhook and old_webhook not in fake_paypal.webhooks
    assert fake_paypal.webhooks[new_webhook]["app"] == other["client_id"]
    # Deliveries to the new webhook verify with the new app's keys.
    fake_paypal.approve(checkout.gateway_session_id)
    capture_status = {"id": "CAP1", "status": "PENDING", "custom_id": str(checkout.pk)}
    capture_status["amount"] = {"currency_code": "USD", "value": "100.00"}
    deliver(api_client, fake_paypal, connected, "PAYMENT.CAPTURE.PENDING", capture_status)
    checkout.refresh_from_db()
    assert checkout.status == "processing"


def test_pending_refund_settles_when_paypal_reports_it(api_client, owner_client, connected, checkout, fake_paypal):
    fake_paypal.approve(checkout.gateway_session_id)
    deliver(
        api_client, fake_paypal, connected, "CHECKOUT.ORDER.APPROVED", fake_paypal.orders[checkout.gateway_session_id]
    )
    fake_paypal.refund_status = "PENDING"
    refunded = owner_client.post(f"/api/payment/refund/{checkout.pk}/", {"amount": "25.00"}, format="json")
    assert refunded.status_code == 201, refunded.json()
    assert refunded.json()["status"] == "pending"
    refund = PaymentRefund.objects.get()
    settled = dict(fake_paypal.refunds[refund.gateway_refund_id], status="COMPLETED")
    deliver(api_client, fake_paypal, connected, "PAYMENT.CAPTURE.REFUNDED", settled)
    refund.refresh_from_db()
    assert (refund.status, PaymentRefund.objects.count()) == ("succeeded", 1)
    shown = status_of(api_client, checkout)
    assert (shown["status"], shown["amount_refunded"]) == ("partially_refunded", "25.00")


def test_paypal_unreachable_while_verifying_a_webhook_stores_nothing(api_client, connected, checkout, fake_paypal):
    order = fake_paypal.orders[checkout.gateway_session_id]
    body, headers = fake_paypal.delivery(
        "CHECKOUT.ORDER.APPROVED", order, webhook_id=connected.get_credentials()["webhook_id"]
    )
    fake_paypal.stop()
    extra = {"HTTP_" + name.replace("-", "_"): value for name, value in headers.items()}
    answer = api_client.post(connected.webhook_path, body, content_type="application/json", **extra)
    assert answer.status_code == 502 and answer.json()["code"] == "gateway_error"  # PayPal delivers it again
    assert not PaymentWebhookEvent.objects.exists()
