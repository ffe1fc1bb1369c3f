"""POST /api/payment/create-session/: amounts, reuse of an open checkout, and every error code."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from invoices.factories import InvoiceFactory
from payments.models import InvoicePayment
from payments.state import PaymentStatus

pytestmark = pytest.mark.django_db
URL = "/api/payment/create-session/"


def post(client, **body):  # type: ignore[no-untyped-def]
    return client.post(URL, {k: (str(v) if k.endswith("_id") else v) for k, v in body.items()}, format="json")


def test_a_double_click_reuses_the_open_checkout(api_client, invoice):
    first = post(api_client, invoice_id=invoice.public_id)
    second = post(api_client, invoice_id=invoice.public_id)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["payment_id"] == second.json()["payment_id"]
    assert first.json()["checkout_url"] == second.json()["checkout_url"]
    assert InvoicePayment.objects.count() == 1


def test_an_expiring_checkout_is_not_handed_out_again(api_client, invoice):
    first = post(api_client, invoice_id=invoice.public_id).json()
    InvoicePayment.objects.filter(pk=first["payment_id"]).update(expires_at=timezone.now() + timedelta(minutes=1))
    second = post(api_client, invoice_id=invoice.public_id)
    assert second.status_code == 201
    assert second.json()["payment_id"] != first["payment_id"]


def test_partial_payment_when_the_invoice_allows_it(api_client, owner, gateway, pay, owner_client):
    invoice = InvoiceFactory(owner=owner, allow_partial_payments=True, items=[("Hours", 10, "30.00")])
    response = post(api_client, invoice_id=invoice.public_id, amount="120.00")
    assert response.status_code == 201
    assert response.json()["amount"] == "120.00"
    pay(invoice, amount="120.00")
    detail = owner_client.get(f"/api/invoices/{invoice.pk}/").json()
    assert (detail["status"], detail["amount_paid"], detail["amount_due"]) == ("partially_paid", "120.00", "180.00")
    # The next checkout defaults to what is still due.
    assert post(api_client, invoice_id=invoice.public_id).json()["amount"] == "180.00"


def test_partial_amount_refused_when_the_invoice_must_be_paid_in_full(api_client, invoice):
    response = post(api_client, invoice_id=invoice.public_id, amount="10.00")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_amount"
    assert "in full" in response.json()["message"]
    assert InvoicePayment.objects.count() == 0


@pytest.mark.parametrize("amount", ["0", "-5.00", "100.01", "1.001", "NaN", "Infinity", "abc", "1e400"])
def test_bad_amounts(api_client, owner, gateway, amount):
    invoice = InvoiceFactory(owner=owner, allow_partial_payments=True)
    response = post(api_client, invoice_id=invoice.public_id, amount=amount)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid_amount"
    assert set(response.json()) == {"code", "message", "details"}
    assert InvoicePayment.objects.count() == 0


def test_jpy_amount_with_decimals_is_a_bad_amount(api_client, owner, gateway):
    invoice = InvoiceFactory(owner=owner, currency="JPY", allow_partial_payments=True, items=[("Work", 1, "5000")])
    assert post(api_client, invoice_id=invoice.public_id, amount="10.5").json()["code"] == "invalid_amount"
    ok = post(api_client, invoice_id=invoice.public_id, amount="2500")
    assert ok.status_code == 201
    assert ok.json()["amount"] == "2500"


def test_a_json_number_amount_is_read_exactly(api_client, owner, gateway):
    invoice = InvoiceFactory(owner=owner, allow_partial_payments=True)
    response = api_client.post(URL, f'{{"invoice_id": "{invoice.public_id}", "amount": 12.10}}', content_type="application/json")
    assert response.status_code == 201
    assert InvoicePayment.objects.get().amount == Decimal("12.10")


def test_unknown_invoice_is_404(api_client, db):
    response = post(api_client, invoice_id="6b0f6a8e-7a4e-4c55-9d0b-2a1f3c4d5e6f")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("status", ["draft", "paid", "void"])
def test_invoice_not_payable(api_client, owner, gateway, status):
    invoice = InvoiceFactory(owner=owner, status=status)
    response = post(api_client, invoice_id=invoice.public_id)
    assert response.status_code == 409
    assert response.json()["code"] == "invoice_not_payable"


def test_owner_without_an_active_gateway(api_client, owner, gateway):
    gateway.is_active = False
    gateway.save()
    invoice = InvoiceFactory(owner=owner)
    response = post(api_client, invoice_id=invoice.public_id)
    assert response.status_code == 409
    assert response.json()["code"] == "gateway_not_configured"


def test_another_owners_gateway_config_cannot_be_chosen(api_client, invoice):
    from payments.factories import sandbox_config

    stranger = sandbox_config()
    response = post(api_client, invoice_id=invoice.public_id, gateway_config_id=stranger.pk)
    assert response.status_code == 409
    assert response.json()["code"] == "gateway_not_configured"


def test_gateway_failure_leaves_nothing_half_written(api_client, invoice, monkeypatch):
    from payments.errors import GatewayError
    from payments.gateways.sandbox import SandboxGateway

    def refuse(self, request):  # type: ignore[no-untyped-def]
        raise GatewayError("The provider refused the request.")

    monkeypatch.setattr(SandboxGateway, "create_checkout", refuse)
    response = post(api_client, invoice_id=invoice.public_id)
    assert response.status_code == 502
    assert response.json()["code"] == "gateway_error"
    assert InvoicePayment.objects.count() == 0


def test_a_timeout_is_retried_with_the_same_idempotency_key(api_client, invoice, monkeypatch):
    from payments.errors import GatewayError
    from payments.gateways.sandbox import SandboxGateway

    keys = []
    real = SandboxGateway.create_checkout

    def flaky(self, request):  # type: ignore[no-untyped-def]
        keys.append(request.idempotency_key)
        if len(keys) == 1:
            real(self, request)  # the provider opened it, but the answer was lost
            raise GatewayError("Timed out.", outcome_unknown=True)
        return real(self, request)

    monkeypatch.setattr(SandboxGateway, "create_checkout", flaky)
    assert post(api_client, invoice_id=invoice.public_id).status_code == 502
    retry = post(api_client, invoice_id=invoice.public_id)
    assert retry.status_code == 201
    assert keys[0] == keys[1]
    payment = InvoicePayment.objects.get()
    assert str(payment.pk) == retry.json()["payment_id"]
    assert payment.status == PaymentStatus.PENDING and payment.checkout_url


def test_validation_errors_use_the_contract_shape(api_client, db):
    response = api_client.post(URL, {"invoice_id": "not-a-uuid"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "invoice_id" in response.json()["details"]


def test_money_being_processed_is_not_asked_for_twice(api_client, owner, gateway, pay):
    invoice = InvoiceFactory(owner=owner, allow_partial_payments=True, items=[("Work", 1, "100.00")])
    pay(invoice, amount="40.00", outcome="pay_later_success")  # processing until it settles
    assert InvoicePayment.objects.get().status == PaymentStatus.PROCESSING
    assert post(api_client, invoice_id=invoice.public_id).json()["amount"] == "60.00"
    assert post(api_client, invoice_id=invoice.public_id, amount="60.01").json()["code"] == "invalid_amount"

    whole = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")])
    pay(whole, outcome="pay_later_success")
    response = post(api_client, invoice_id=whole.public_id)
    assert response.status_code == 409
    assert response.json()["code"] == "invoice_not_payable"
    assert "being processed" in response.json()["message"]


# A cap on open checkouts per invoice ---------------------------------------------------------


@pytest.fixture
def partial_invoice(owner, gateway):  # type: ignore[no-untyped-def]
    return InvoiceFactory(owner=owner, allow_partial_payments=True, items=[("Hours", 10, "30.00")])


def test_past_the_cap_no_more_checkouts_open_for_an_invoice(api_client, partial_invoice, settings):
    settings.MAX_OPEN_CHECKOUTS_PER_INVOICE = 3
    opened = [post(api_client, invoice_id=partial_invoice.public_id, amount=f"{n}.00") for n in range(1, 4)]

    refused = post(api_client, invoice_id=partial_invoice.public_id, amount="4.00")

    assert [r.status_code for r in opened] == [201, 201, 201]
    assert refused.status_code == 409
    body = refused.json()
    assert (body["code"], body["details"]) == ("too_many_open_checkouts", {"limit": 3})
    assert "3 checkouts open" in body["message"]
    assert InvoicePayment.objects.filter(invoice=partial_invoice).count() == 3


def test_at_the_cap_an_open_checkout_for_the_same_amount_is_still_reused(api_client, partial_invoice, settings):
    settings.MAX_OPEN_CHECKOUTS_PER_INVOICE = 2
    first = post(api_client, invoice_id=partial_invoice.public_id, amount="10.00")
    post(api_client, invoice_id=partial_invoice.public_id, amount="20.00")

    again = post(api_client, invoice_id=partial_invoice.public_id, amount="10.00")

    assert (again.status_code, again.json()["payment_id"]) == (200, first.json()["payment_id"])


def test_expired_or_finished_checkouts_make_room(api_client, partial_invoice, settings):
    settings.MAX_OPEN_CHECKOUTS_PER_INVOICE = 2
    first = post(api_client, invoice_id=partial_invoice.public_id, amount="10.00").json()
    second = post(api_client, invoice_id=partial_invoice.public_id, amount="20.00").json()
    assert post(api_client, invoice_id=partial_invoice.public_id, amount="30.00").status_code == 409

    InvoicePayment.objects.filter(pk=first["payment_id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    InvoicePayment.objects.filter(pk=second["payment_id"]).update(status=PaymentStatus.FAILED)

    assert post(api_client, invoice_id=partial_invoice.public_id, amount="30.00").status_code == 201
    assert post(api_client, invoice_id=partial_invoice.public_id, amount="40.00").status_code == 201
    assert post(api_client, invoice_id=partial_invoice.public_id, amount="50.00").status_code == 409


def test_the_default_cap_is_five(api_client, partial_invoice):
    statuses = [post(api_client, invoice_id=partial_invoice.public_id, amount=f"{n}.00").status_code for n in range(1, 8)]

    assert statuses == [201] * 5 + [409] * 2
