"""POST /api/payment/refund/<payment_id>/ and the owner's payment list."""

from __future__ import annotations

import pytest

from payments.models import PaymentRefund

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(invoice, pay):
    return pay(invoice)


def refund(client, payment_id, **body):  # type: ignore[no-untyped-def]
    return client.post(f"/api/payment/refund/{payment_id}/", body, format="json")


def invoice_amounts(client, invoice):  # type: ignore[no-untyped-def]
    detail = client.get(f"/api/invoices/{invoice.pk}/").json()
    names = ("status", "amount_paid", "amount_refunded", "amount_credited", "amount_due", "amount_overpaid")
    return tuple(detail[name] for name in names)


def test_full_refund_by_default_is_a_credit(owner_client, invoice, paid):
    response = refund(owner_client, paid)
    assert response.status_code == 201
    body = response.json()
    assert (body["amount"], body["currency"], body["status"], body["payment_status"], body["invoice_effect"]) == (
        "100.00", "USD", "succeeded", "refunded", "credit"
    )
    # Taken off what the client owes: nothing is due, the invoice stays paid and the link asks for nothing.
    assert invoice_amounts(owner_client, invoice) == ("paid", "0.00", "100.00", "100.00", "0.00", "0.00")


def test_a_credit_keeps_a_paid_invoice_paid(owner_client, api_client, invoice, paid):
    response = refund(owner_client, paid, amount="30.00", reason="One item was not delivered")
    assert (response.status_code, response.json()["invoice_effect"]) == (201, "credit")
    assert invoice_amounts(owner_client, invoice) == ("paid", "70.00", "30.00", "30.00", "0.00", "0.00")
    public = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/").json()
    assert (public["payable"], public["amount_due"], public["amount_credited"]) == (False, "0.00", "30.00")
    refused = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "invoice_not_payable")


def test_reopen_makes_the_client_owe_it_again(owner_client, api_client, invoice, paid):
    response = refund(owner_client, paid, amount="30.00", invoice_effect="reopen")
    assert (response.status_code, response.json()["invoice_effect"]) == (201, "reopen")
    assert invoice_amounts(owner_client, invoice) == ("partially_paid", "70.00", "30.00", "0.00", "30.00", "0.00")
    session = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json")
    assert (session.status_code, session.json()["amount"]) == (201, "30.00")


def test_credit_and_reopen_refunds_add_up(owner_client, invoice, paid):
    refund(owner_client, paid, amount="25.00", invoice_effect="reopen")
    refund(owner_client, paid, amount="15.00", invoice_effect="credit")
    assert invoice_amounts(owner_client, invoice) == ("partially_paid", "60.00", "40.00", "15.00", "25.00", "0.00")


def test_a_failed_credit_gives_the_credit_back(owner_client, invoice, paid, monkeypatch):
    from payments.errors import GatewayError
    from payments.gateways.sandbox import SandboxGateway

    monkeypatch.setattr(SandboxGateway, "refund", lambda self, request: (_ for _ in ()).throw(GatewayError("Down.")))
    assert refund(owner_client, paid, amount="10.00").status_code == 502
    assert invoice_amounts(owner_client, invoice) == ("paid", "100.00", "0.00", "0.00", "0.00", "0.00")


def test_a_pending_credit_already_counts(owner_client, invoice, paid, monkeypatch):
    # The gateway's answer was lost: the refund stays pending, holding its amount, as the credit does.
    from payments.errors import GatewayError
    from payments.gateways.sandbox import SandboxGateway

    def lost(self, request):  # type: ignore[no-untyped-def]
        raise GatewayError("Timed out.", outcome_unknown=True)

    monkeypatch.setattr(SandboxGateway, "refund", lost)
    assert refund(owner_client, paid, amount="10.00").status_code == 502
    assert PaymentRefund.objects.get().status == "pending"
    assert invoice_amounts(owner_client, invoice) == ("paid", "90.00", "10.00", "10.00", "0.00", "0.00")


def test_giving_back_a_double_payment_is_not_a_discount(owner_client, api_client, owner, invoice, checkout):
    # Two checkouts (one per gateway) paid at once: refunding the second, a credit by default,
    # must not leave the invoice owing the client money, nor count as a discount.
    from payments.factories import sandbox_config

    other = sandbox_config(owner=owner, display_name="Second sandbox")
    opened = [
        api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id), **extra}, format="json").json()
        for extra in ({}, {"gateway_config_id": str(other.pk)})
    ]
    for session in opened:
        checkout.pay(session["checkout_url"])
    assert invoice_amounts(owner_client, invoice) == ("paid", "200.00", "0.00", "0.00", "0.00", "100.00")
    assert refund(owner_client, opened[1]["payment_id"]).status_code == 201
    assert invoice_amounts(owner_client, invoice) == ("paid", "100.00", "100.00", "0.00", "0.00", "0.00")


@pytest.mark.parametrize("effect", ["discount", "", None, 1])
def test_unknown_invoice_effect_is_invalid(owner_client, paid, effect):
    response = refund(owner_client, paid, amount="10.00", invoice_effect=effect)
    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["details"])) == ("invalid", ["invoice_effect"])
    assert PaymentRefund.objects.count() == 0


def test_error_messages_show_the_currencys_places(owner_client, paid):
    refund(owner_client, paid, amount="80.01")
    response = refund(owner_client, paid, amount="20.00")
    assert response.status_code == 400
    assert response.json()["message"] == "At most 19.99 USD can still be refunded."


def test_partial_refunds_add_up_and_then_stop(owner_client, paid):
    assert refund(owner_client, paid, amount="30.00").json()["payment_status"] == "partially_refunded"
    assert refund(owner_client, paid, amount="70.00").json()["payment_status"] == "refunded"
    again = refund(owner_client, paid, amount="1.00")
    assert again.status_code == 409
    assert again.json()["code"] == "refund_not_allowed"
    assert PaymentRefund.objects.filter(status="succeeded").count() == 2


@pytest.mark.parametrize("amount", ["0", "-1.00", "100.01", "1.001", "NaN"])
def test_bad_refund_amounts(owner_client, paid, amount):
    response = refund(owner_client, paid, amount=amount)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_amount"
    assert PaymentRefund.objects.count() == 0


def test_more_than_what_is_left_is_a_bad_amount(owner_client, paid):
    refund(owner_client, paid, amount="60.00")
    response = refund(owner_client, paid, amount="60.00")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_amount"
    assert "40.00 USD" in response.json()["message"] and "40.000" not in response.json()["message"]


def test_an_unpaid_payment_cannot_be_refunded(owner_client, api_client, invoice):
    payment_id = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").json()[
        "payment_id"
    ]
    response = refund(owner_client, payment_id)
    assert response.status_code == 409
    assert response.json()["code"] == "refund_not_allowed"


def test_gateway_refusal_restores_the_amount(owner_client, paid, monkeypatch):
    from payments.errors import GatewayError
    from payments.gateways.sandbox import SandboxGateway

    def refuse(self, request):  # type: ignore[no-untyped-def]
        raise GatewayError("The provider is down.")

    monkeypatch.setattr(SandboxGateway, "refund", refuse)
    response = refund(owner_client, paid, amount="10.00")
    assert response.status_code == 502
    assert response.json()["code"] == "gateway_error"
    status = owner_client.get(f"/api/payment/status/{paid}/").json()
    assert (status["status"], status["amount_refunded"]) == ("succeeded", "0.00")
    assert PaymentRefund.objects.get().status == "failed"


def test_only_the_owner_can_refund(api_client, paid):
    from accounts.factories import UserFactory

    assert refund(api_client, paid).status_code == 401
    stranger = api_client
    stranger.force_authenticate(UserFactory())
    response = refund(stranger, paid)
    assert response.status_code == 404
    assert PaymentRefund.objects.count() == 0


def test_owner_lists_payments_with_their_refunds(owner_client, invoice, paid, django_assert_max_num_queries):
    refund(owner_client, paid, amount="25.00")
    with django_assert_max_num_queries(6):
        response = owner_client.get(f"/api/payment/invoice/{invoice.pk}/payments/")
    assert response.status_code == 200
    [payment] = response.json()["results"]
    assert (payment["payment_id"], payment["status"], payment["amount_refunded"]) == (paid, "partially_refunded", "25.00")
    assert [(r["amount"], r["status"], r["invoice_effect"]) for r in payment["refunds"]] == [("25.00", "succeeded", "credit")]


def test_payment_list_query_count_does_not_grow(owner_client, owner, gateway, pay, django_assert_max_num_queries):
    from invoices.factories import InvoiceFactory

    invoice = InvoiceFactory(owner=owner, allow_partial_payments=True, items=[("Work", 1, "100.00")])
    for _ in range(5):
        pay(invoice, amount="10.00")
    with django_assert_max_num_queries(6):
        response = owner_client.get(f"/api/payment/invoice/{invoice.pk}/payments/")
    assert len(response.json()["results"]) == 5


def test_another_users_invoice_payments_are_404(api_client, invoice):
    from accounts.factories import UserFactory

    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"/api/payment/invoice/{invoice.pk}/payments/").status_code == 404
