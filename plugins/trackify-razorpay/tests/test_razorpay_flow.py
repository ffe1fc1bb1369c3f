"""Razorpay end to end through Trackify's API, against the local fake of Razorpay's API:
connecting (keys checked on save), checkout by payment link, the payer paying, a part paid,
expiry, cancellation, a declined try, refunds (ours and the dashboard's), webhooks redelivered
and out of order, forged signatures, and Razorpay unreachable."""

from __future__ import annotations

from decimal import Decimal

import pytest
from razorpay_helpers import CREDENTIALS, WEBHOOK_SECRET, deliver, post_event

from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentRefund, PaymentWebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)


def status_of(api_client, payment):  # type: ignore[no-untyped-def]
    return api_client.get(f"/api/payment/status/{payment.pk}/").json()


def invoice_of(owner_client, invoice):  # type: ignore[no-untyped-def]
    return owner_client.get(f"/api/invoices/{invoice.pk}/").json()


def paid_event(fake, payment):  # type: ignore[no-untyped-def]
    link_id = payment.gateway_session_id
    paid = fake.pay(link_id)
    return paid, fake.event("payment_link.paid", payment_link=fake.links[link_id], payment=paid)


def test_connecting_checks_the_keys_with_razorpay_and_never_shows_the_secrets(connected, fake_razorpay, owner_client):
    assert connected.verified_at is not None
    assert fake_razorpay.calls("GET", "/v1/payments")  # the verification call
    shown = owner_client.get(f"/api/payment/gateways/{connected.pk}/").json()
    assert CREDENTIALS["key_secret"] not in str(shown) and WEBHOOK_SECRET not in str(shown)
    assert shown["credentials_preview"]["key_id"] == CREDENTIALS["key_id"]
    assert shown["webhook_url"].endswith(f"/api/payment/webhook/razorpay/{connected.pk}/")


def test_wrong_keys_are_refused_on_save(owner_client, fake_razorpay):
    wrong = {**CREDENTIALS, "key_secret": "WrongSecret0123456789abcd"}
    refused = owner_client.post(
        "/api/payment/gateways/", {"gateway_name": "razorpay", "credentials": wrong}, format="json"
    )
    assert refused.status_code == 400
    assert "did not accept" in refused.json()["message"]
    assert not PaymentGatewayConfig.objects.filter(gateway_name="razorpay").exists()


def test_a_live_key_in_test_mode_is_refused_before_any_call(owner_client, fake_razorpay):
    live = {**CREDENTIALS, "key_id": "rzp_live_FakeKey0123abcd"}
    refused = owner_client.post(
        "/api/payment/gateways/", {"gateway_name": "razorpay", "mode": "test", "credentials": live}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"
    assert "rzp_test_" in refused.json()["details"]["credentials"]["key_id"][0], refused.json()
    assert fake_razorpay.requests == []


def test_checkout_opens_a_payment_link_for_our_payment(checkout, fake_razorpay, invoice):
    link = fake_razorpay.links[checkout.gateway_session_id]
    assert link["amount"] == 100000 and link["currency"] == "INR"  # 1,000.00 INR in paise
    assert link["reference_id"] == str(checkout.pk)
    assert link["notes"] == {"trackify_payment_id": str(checkout.pk), "trackify_invoice_id": str(invoice.pk)}
    assert link["callback_method"] == "get" and link["accept_partial"] is False
    assert link["callback_url"].startswith("http")
    assert abs(link["expire_by"] - checkout.expires_at.timestamp()) < 2


def test_paid_link_marks_the_invoice_paid_with_razorpays_fee(
    api_client, owner_client, checkout, connected, fake_razorpay, invoice
):
    paid, event = paid_event(fake_razorpay, checkout)
    deliver(api_client, connected, event)
    assert status_of(api_client, checkout)["status"] == "succeeded"
    assert invoice_of(owner_client, invoice)["status"] == "paid"
    checkout.refresh_from_db()
    assert checkout.gateway_payment_reference == paid["id"]
    assert checkout.fee == Decimal("23.60") and checkout.net == Decimal("976.40") and checkout.fee_currency == "INR"


def test_redelivered_and_reordered_events_give_one_end_state(
    api_client, owner_client, checkout, connected, fake_razorpay, invoice
):
    paid, event = paid_event(fake_razorpay, checkout)
    refund = fake_razorpay.make_refund(paid["id"], 30000)  # from the dashboard
    refunded = fake_razorpay.event("refund.processed", refund=refund, payment=paid)
    deliver(api_client, connected, refunded, event_id="evtRefund0001", times=2)  # before the payment's own event
    deliver(api_client, connected, event, event_id="evtPaid000001", times=3)
    expired = fake_razorpay.event(
        "payment_link.expired", payment_link={**fake_razorpay.links[checkout.gateway_session_id], "status": "expired"}
    )
    deliver(api_client, connected, expired)  # late: a paid payment stays paid
    shown = status_of(api_client, checkout)
    assert shown["status"] == "partially_refunded" and shown["amount_refunded"] == "300.00"
    assert PaymentRefund.objects.filter(payment=checkout).count() == 1
    assert PaymentWebhookEvent.objects.filter(event_id__in=["evtRefund0001", "evtPaid000001"]).count() == 2
    assert invoice_of(owner_client, invoice)["amount_credited"] == "300.00"


def test_a_part_paid_is_held_for_a_person_not_counted(
    api_client, owner_client, checkout, connected, fake_razorpay, invoice
):
    part = fake_razorpay.pay(checkout.gateway_session_id, amount=40000)
    event = fake_razorpay.event(
        "payment_link.partially_paid", payment_link=fake_razorpay.links[checkout.gateway_session_id], payment=part
    )
    deliver(api_client, connected, event)
    checkout.refresh_from_db()
    assert checkout.status == "pending"
    assert "400.00 INR" in checkout.flagged_reason and "1000.00 INR" in checkout.flagged_reason
    assert invoice_of(owner_client, invoice)["amount_paid"] == "0.00"


@pytest.mark.parametrize(
    ("razorpay_status", "event_type", "ours"),
    [("expired", "payment_link.expired", "expired"), ("cancelled", "payment_link.cancelled", "canceled")],
)
def test_a_link_that_ends_unpaid_ends_the_payment(
    api_client, checkout, connected, fake_razorpay, razorpay_status, event_type, ours
):
    link = fake_razorpay.end(checkout.gateway_session_id, razorpay_status)
    deliver(api_client, connected, fake_razorpay.event(event_type, payment_link=link))
    assert status_of(api_client, checkout)["status"] == ours


def test_a_declined_try_keeps_the_link_open_and_the_reason(api_client, checkout, connected, fake_razorpay):
    declined = fake_razorpay.decline(checkout.gateway_session_id, "Card declined by the issuing bank.")
    deliver(api_client, connected, fake_razorpay.event("payment.failed", payment=declined))
    checkout.refresh_from_db()
    assert checkout.status == "pending" and checkout.failure_message == "Card declined by the issuing bank."
    _, event = paid_event(fake_razorpay, checkout)  # the payer tries again, with success
    deliver(api_client, connected, event)
    assert status_of(api_client, checkout)["status"] == "succeeded"


def test_status_read_asks_razorpay_when_the_webhook_is_late(api_client, checkout, fake_razorpay):
    fake_razorpay.pay(checkout.gateway_session_id)
    assert status_of(api_client, checkout)["status"] == "succeeded"
    checkout.refresh_from_db()
    assert checkout.fee == Decimal("23.60")


def test_full_and_partial_refunds_through_trackify(api_client, owner_client, checkout, connected, fake_razorpay):
    paid, event = paid_event(fake_razorpay, checkout)
    deliver(api_client, connected, event)
    part = owner_client.post(
        f"/api/payment/refund/{checkout.pk}/", {"amount": "250.00", "reason": "Late"}, format="json"
    )
    assert part.status_code == 201, part.json()
    assert part.json()["status"] == "succeeded" and part.json()["payment_status"] == "partially_refunded"
    sent = fake_razorpay.calls("POST", f"/v1/payments/{paid['id']}/refund")[-1][2]
    assert sent["amount"] == 25000 and sent["receipt"] == part.json()["refund_id"]
    assert sent["notes"]["trackify_refund_id"] == part.json()["refund_id"]
    rest = owner_client.post(f"/api/payment/refund/{checkout.pk}/", {}, format="json")
    assert rest.status_code == 201 and rest.json()["amount"] == "750.00"
    assert rest.json()["payment_status"] == "refunded"
    # Razorpay's webhook about our own refund changes nothing more.
    ours = next(r for r in fake_razorpay.refunds.values() if r["receipt"] == rest.json()["refund_id"])
    deliver(
        api_client,
        connected,
        fake_razorpay.event("refund.processed", refund=ours, payment=fake_razorpay.payments[paid["id"]]),
    )
    assert PaymentRefund.objects.filter(payment=checkout).count() == 2
    assert status_of(api_client, checkout)["amount_refunded"] == "1000.00"


def test_a_refund_that_fails_at_razorpay_is_given_back(api_client, owner_client, checkout, connected, fake_razorpay):
    paid, event = paid_event(fake_razorpay, checkout)
    deliver(api_client, connected, event)
    fake_razorpay.refund_status = "pending"
    made = owner_client.post(f"/api/payment/refund/{checkout.pk}/", {"amount": "100.00"}, format="json")
    assert made.status_code == 201 and made.json()["status"] == "pending"
    refund = next(iter(fake_razorpay.refunds.values()))
    refund.update(status="failed", error_description="The bank account is closed.")
    deliver(api_client, connected, fake_razorpay.event("refund.failed", refund=refund, payment=paid))
    assert PaymentRefund.objects.get(pk=made.json()["refund_id"]).status == "failed"
    assert status_of(api_client, checkout)["status"] == "succeeded"


def test_forged_or_unsigned_webhooks_are_refused_and_nothing_is_stored(api_client, checkout, connected, fake_razorpay):
    _, event = paid_event(fake_razorpay, checkout)
    forged = post_event(api_client, connected, event, secret="not-the-owners-secret")
    assert forged.status_code == 400 and forged.json()["code"] == "invalid_signature"
    unsigned = api_client.post(connected.webhook_path, b"{}", content_type="application/json")
    assert unsigned.status_code == 400 and unsigned.json()["code"] == "invalid_signature"
    assert not PaymentWebhookEvent.objects.exists()
    checkout.refresh_from_db()
    assert checkout.status == "pending"


def test_razorpay_unreachable_is_a_502_with_nothing_half_written(api_client, owner_client, invoice, fake_razorpay):
    fake_razorpay.stop()
    answer = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json")
    assert answer.status_code == 502 and answer.json()["code"] == "gateway_error"
    assert not InvoicePayment.objects.exists()
    assert invoice_of(owner_client, invoice)["status"] == invoice.status


def test_a_link_retried_after_a_lost_answer_is_the_same_link(api_client, invoice, fake_razorpay):
    from trackify_razorpay.gateway import RazorpayGateway

    from payments.gateways.base import CheckoutRequest

    opened = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json")
    payment = InvoicePayment.objects.get(pk=opened.json()["payment_id"])
    again = RazorpayGateway(credentials=CREDENTIALS).create_checkout(
        CheckoutRequest(
            payment_id=str(payment.pk),
            invoice_id=str(invoice.pk),
            invoice_number=invoice.number,
            description="",
            amount=payment.amount,
            currency="INR",
            customer_email=None,
            success_url="https://x.test/ok",
            cancel_url="https://x.test/no",
            expires_at=payment.expires_at,
            idempotency_key="k",
        )
    )
    assert again.session_id == payment.gateway_session_id
    assert len(fake_razorpay.links) == 1


def test_keys_saved_while_razorpay_is_down_are_kept_unverified(owner_client, fake_razorpay):
    fake_razorpay.stop()
    saved = owner_client.post(
        "/api/payment/gateways/", {"gateway_name": "razorpay", "credentials": CREDENTIALS}, format="json"
    )
    assert saved.status_code == 201 and saved.json()["verified"] is False


def test_a_dashboard_refund_without_our_note_waits_for_the_payment_it_names(
    api_client, owner_client, checkout, connected, fake_razorpay, invoice
):
    paid, event = paid_event(fake_razorpay, checkout)
    refund = fake_razorpay.make_refund(paid["id"], 100000)
    bare = {**paid, "notes": []}  # a payment entity that carries none of our notes
    deliver(
        api_client, connected, fake_razorpay.event("refund.processed", refund=refund, payment=bare), event_id="evtR"
    )
    assert PaymentWebhookEvent.objects.get(event_id="evtR").status == "waiting"
    deliver(api_client, connected, event)
    assert PaymentWebhookEvent.objects.get(event_id="evtR").status == "processed"
    assert status_of(api_client, checkout)["status"] == "refunded"
    assert invoice_of(owner_client, invoice)["amount_credited"] == "1000.00"


def test_voiding_the_invoice_cancels_its_open_payment_link(api_client, owner_client, checkout, invoice, fake_razorpay):
    voided = owner_client.post(f"/api/invoices/{invoice.pk}/void/")
    assert voided.status_code == 200, voided.json()
    assert fake_razorpay.links[checkout.gateway_session_id]["status"] == "cancelled"
    checkout.refresh_from_db()
    assert checkout.status == "canceled"


def test_closing_a_link_paid_a_moment_before_records_the_payment(checkout, connected, fake_razorpay):
    from payments.connections import gateway_for

    fake_razorpay.pay(checkout.gateway_session_id)
    closed = gateway_for(connected).expire_checkout(session_id=checkout.gateway_session_id)
    assert closed.status == "succeeded" and closed.fee is not None
    assert fake_razorpay.links[checkout.gateway_session_id]["status"] == "paid"
