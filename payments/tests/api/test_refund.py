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


def test_full_refund_by_default(owner_client, invoice, paid):
    response = refund(owner_client, paid)
    assert response.status_code == 201
    body = response.json()
    assert (body["amount"], body["currency"], body["status"], body["payment_status"]) == ("100.00", "USD", "succeeded", "refunded")
    detail = owner_client.get(f"/api/invoices/{invoice.pk}/").json()
    assert (detail["status"], detail["amount_paid"], detail["amount_refunded"], detail["amount_due"]) == (
        "sent",
        "0.00",
        "100.00",
        "100.00",
    )


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
    assert "40.00" in response.json()["message"] or "40.000" in response.json()["message"]


def test_an_unpaid_payment_cannot_be_refunded(owner_client, api_client, invoice):
    payment_id = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.pk)}, format="json").json()[
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
    from invoices.factories import UserFactory

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
    assert [(r["amount"], r["status"]) for r in payment["refunds"]] == [("25.00", "succeeded")]


def test_payment_list_query_count_does_not_grow(owner_client, owner, gateway, pay, django_assert_max_num_queries):
    from invoices.factories import InvoiceFactory

    invoice = InvoiceFactory(owner=owner, allow_partial_payments=True, items=[("Work", 1, "100.00")])
    for _ in range(5):
        pay(invoice, amount="10.00")
    with django_assert_max_num_queries(6):
        response = owner_client.get(f"/api/payment/invoice/{invoice.pk}/payments/")
    assert len(response.json()["results"]) == 5


def test_another_users_invoice_payments_are_404(api_client, invoice):
    from invoices.factories import UserFactory

    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"/api/payment/invoice/{invoice.pk}/payments/").status_code == 404
