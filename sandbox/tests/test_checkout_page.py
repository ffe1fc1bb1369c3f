"""The sandbox's hosted checkout page: outcomes, redirects, and closed sessions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from payments.models import InvoicePayment
from sandbox.models import SandboxSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(api_client, invoice):
    return api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").json()


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_page_shows_the_amount_and_the_choices(client, session):
    page = client.get(path_of(session["checkout_url"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "100.00 USD" in html
    for outcome in ("pay", "decline", "pay_later_success", "pay_later_failure"):
        assert f'value="{outcome}"' in html


def test_page_does_not_show_the_clients_email(client, api_client, owner, gateway):
    # Anyone holding the checkout link can open the page: it must not reveal who the payer is.
    from invoices.factories import InvoiceFactory

    invoice = InvoiceFactory(owner=owner, client_email="ada.client@example.test", items=[("Work", 1, "10.00")])
    created = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").json()
    assert SandboxSession.objects.get().customer_email == "ada.client@example.test"  # the provider may know it
    page = client.get(path_of(created["checkout_url"]))
    refused = client.post(path_of(created["checkout_url"]), {"outcome": "steal"})
    assert (page.status_code, refused.status_code) == (200, 400)
    for html in (page.content.decode(), refused.content.decode()):
        assert "10.00 USD" in html
        assert "ada.client" not in html and "example.test" not in html


def test_decline_fails_the_payment_and_goes_to_the_cancel_url(checkout, session, invoice):
    response = checkout.pay(session["checkout_url"], "decline")
    assert response.status_code == 302
    # The cancel URL names the payment, not an outcome: the page asks the payment what happened.
    assert f"/pay/{invoice.public_id}?payment=" in response["Location"] and "canceled" not in response["Location"]
    payment = InvoicePayment.objects.get()
    assert (payment.status, payment.failure_message) == ("failed", "The card was declined.")


def test_a_completed_session_answers_410(checkout, client, session):
    checkout.pay(session["checkout_url"], "pay")
    assert client.get(path_of(session["checkout_url"])).status_code == 410
    assert client.post(path_of(session["checkout_url"]), {"outcome": "pay"}).status_code == 410


def test_an_expired_session_answers_410(client, session):
    SandboxSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(path_of(session["checkout_url"])).status_code == 410


def test_the_form_needs_its_csrf_token(checkout, session):
    response = checkout.client.post(path_of(session["checkout_url"]), {"outcome": "pay"})
    assert response.status_code == 403
    assert InvoicePayment.objects.get().status == "pending"


def test_unknown_outcome_is_400(client, session):
    assert client.post(path_of(session["checkout_url"]), {"outcome": "steal"}).status_code == 400


def test_unknown_session_is_404(client, db):
    assert client.get("/sandbox/checkout/cs_sbx_nope").status_code == 404
