"""Access control, checked on every URL pattern of the URL conf rather than a hand-kept list.

- private endpoints: anonymous callers get 401; another user's ids get 404, and nothing changes;
- CSRF: a session-authenticated unsafe request without the token is refused (403) everywhere;
  the endpoints that take no session answer a cross-site "simple" request (a form post, which
  a forged page can send without a CORS preflight) with 415, except the webhooks, which accept
  any body and are authenticated by the gateway's signature instead;
- public endpoints expose only the contract's fields.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient
from rest_framework.views import APIView

from accounts.factories import UserFactory
from invoices.factories import InvoiceFactory
from invoices.models import Invoice, InvoiceItem
from notifications.models import EmailMessageLog
from payments.factories import sandbox_config
from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentRefund
from payments.services import PaymentService
from payments.tests.reliability.conftest import completed_event, deliver

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")
METHODS = ("get", *UNSAFE)
WEBHOOK_VIEWS = {"payment-webhook", "payment-webhook-config"}


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, str | None, type[APIView]]]:
    """Every (route, name, DRF view class) under the URL conf; regex routes are the catch-alls."""
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            cls = getattr(pattern.callback, "cls", None)
            if cls is not None and issubclass(cls, APIView) and not str(pattern.pattern).startswith("^"):
                found.append((prefix + str(pattern.pattern), pattern.name, cls))
    return found


ENDPOINTS = _walk(get_resolver().url_patterns)


def _methods(cls: type[APIView]) -> list[str]:
    return [m for m in METHODS if hasattr(cls, m)]


def _is_public(cls: type[APIView]) -> bool:
    return any(p is AllowAny for p in cls.permission_classes)


def _uses_session(cls: type[APIView]) -> bool:
    return any(issubclass(a, SessionAuthentication) for a in cls.authentication_classes)


def _path(route: str, ids: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        if converter == "uuid":
            return ids[name]
        return "sandbox" if name == "gateway_name" else "x"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@pytest.fixture
def alice(db):  # type: ignore[no-untyped-def]
    """A user with a gateway, a sent invoice, a paid payment and a refund: the victim's data."""
    user = UserFactory()
    config = sandbox_config(owner=user)
    invoice = InvoiceFactory(owner=user, items=[("Work", 1, "100.00")])
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    assert deliver(Client(), config, completed_event(payment)).status_code == 200
    PaymentService().refund(payment=payment, amount="10.00")
    ids = {
        "invoice_id": str(invoice.pk),
        "public_id": str(invoice.public_id),
        "payment_id": str(payment.pk),
        "config_id": str(config.pk),
        "email_id": str(EmailMessageLog.objects.create(invoice=invoice, kind="invoice", to="a@example.com").pk),
        "recurring_id": str(_recurring_template(user).pk),
    }
    return user, ids


def _recurring_template(user):  # type: ignore[no-untyped-def]
    from recurring.services import create_template

    items = [{"description": "Retainer", "quantity": "1", "unit_price": "100.00"}]
    return create_template(owner=user, data={"client_name": "C", "items": items, "start_date": date(2026, 1, 1)})


def _snapshot() -> list:
    return [
        list(model.objects.order_by("pk").values())
        for model in (Invoice, InvoiceItem, InvoicePayment, PaymentRefund, PaymentGatewayConfig)
    ]


def _call(client, method: str, path: str):  # type: ignore[no-untyped-def]
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, {}, format="json")


def test_the_walk_finds_the_contracts_endpoints():
    names = {name for _, name, _ in ENDPOINTS}
    assert {"payment-refund", "invoice-payments", "gateway-config-detail", "public-invoice", *WEBHOOK_VIEWS} <= names
    assert len(ENDPOINTS) >= 20


def test_anonymous_callers_of_private_endpoints_get_401(alice):
    _, ids = alice
    before = _snapshot()
    checked = 0
    for route, _name, cls in ENDPOINTS:
        if _is_public(cls):
            continue
        for method in _methods(cls):
            response = _call(APIClient(), method, _path(route, ids))
            assert response.status_code == 401, (method, route, response.status_code)
            assert response.json()["code"] == "not_authenticated"
            checked += 1
    assert checked >= 15
    assert _snapshot() == before


def test_another_users_ids_get_404_and_change_nothing(alice):
    _, ids = alice
    intruder = UserFactory()
    sandbox_config(owner=intruder)  # a user with a gateway of their own
    mallory = APIClient()
    mallory.force_authenticate(intruder)
    before = _snapshot()
    checked = 0
    for route, _name, cls in ENDPOINTS:
        if _is_public(cls) or "<uuid:" not in route:
            continue
        for method in _methods(cls):
            response = _call(mallory, method, _path(route, ids))
            assert response.status_code == 404, (method, route, response.status_code, response.content[:200])
            assert response.json()["code"] == "not_found"
            checked += 1
    assert checked >= 10
    assert _snapshot() == before


def test_lists_never_show_another_users_objects(alice):
    _, ids = alice
    mallory = APIClient()
    mallory.force_authenticate(UserFactory())
    for route, _name, cls in ENDPOINTS:
        if _is_public(cls) or "<" in route or not hasattr(cls, "get"):
            continue
        response = mallory.get(_path(route, ids))
        assert response.status_code == 200, (route, response.status_code)
        for value in ids.values():
            # A streamed answer (the reports' CSV) is read whole, like any other.
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert value not in body.decode(), (route, value)


def test_unsafe_session_requests_without_the_csrf_token_are_refused(alice):
    user, ids = alice
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    before = _snapshot()
    checked = 0
    for route, _name, cls in ENDPOINTS:
        if not _uses_session(cls):
            continue
        for method in _methods(cls):
            if method not in UNSAFE:
                continue
            response = getattr(browser, method)(_path(route, ids), "{}", content_type="application/json")
            assert response.status_code == 403, (method, route, response.status_code)
            assert response.json()["code"] == "permission_denied"
            checked += 1
    assert checked >= 10
    assert _snapshot() == before


def test_only_the_webhooks_accept_a_cross_site_form_post(alice):
    """Endpoints without a session cannot act as the browser's user, and a forged page can only
    send "simple" bodies (form or text): those are refused, so only the signed webhooks are
    CSRF-exempt in practice."""
    _, ids = alice
    exempt = set()
    for route, name, cls in ENDPOINTS:
        if _uses_session(cls):
            continue
        for method in _methods(cls):
            if method not in UNSAFE:
                continue
            for content_type in ("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=b"):
                response = getattr(Client(), method)(_path(route, ids), "a=1", content_type=content_type)
                if response.status_code != 415:
                    exempt.add(name)
    assert exempt == WEBHOOK_VIEWS


def test_public_endpoints_expose_only_the_contracts_fields(alice, api_client):
    _, ids = alice
    invoice = api_client.get(f"/api/payment/public/invoice/{ids['public_id']}/").json()
    assert set(invoice) == {
        "invoice_id",
        "number",
        "issuer_name",
        # The business profile's public face (name, contact email, address, tax id, logo, colour).
        "issuer",
        "client_name",
        "currency",
        "items",
        "total",
        "amount_paid",
        "amount_refunded",
        "amount_credited",
        "amount_due",
        "refunds",
        "status",
        "due_date",
        "payable",
        "allow_partial_payments",
        # Derived for the payer's page: the status in words, the currency's decimal places.
        "status_display",
        "currency_exponent",
    }
    for refund in invoice["refunds"]:
        assert set(refund) == {"amount", "currency", "status", "invoice_effect", "created_at"}
    for item in invoice["items"]:
        assert set(item) == {"description", "quantity", "unit_price", "amount"}

    status = api_client.get(f"/api/payment/status/{ids['payment_id']}/").json()
    # failure_message is the payer's own decline reason, shown on the return page.
    assert set(status) == {
        "payment_id",
        "invoice_id",
        "status",
        "amount",
        "amount_refunded",
        "currency",
        "gateway_name",
        "created_at",
        "updated_at",
        "failure_message",
        # Derived for the payer's pages: the status in words, whether it is still open or was paid,
        # the currency's decimal places.
        "status_display",
        "is_open",
        "is_paid",
        "currency_exponent",
    }

    other = InvoiceFactory(owner=UserFactory(), items=[("Work", 1, "5.00")])
    sandbox_config(owner=other.owner)
    session = api_client.post("/api/payment/create-session/", {"invoice_id": str(other.public_id)}, format="json")
    assert session.status_code == 201
    assert set(session.json()) == {"payment_id", "checkout_url", "status", "amount", "currency", "expires_at"}
    shown = (invoice, status, session.json())
    for private in ("example.com", "client.example", "whsec_", "idempotency", "flagged", "owner"):
        assert all(private not in str(body) for body in shown), private
