"""The OpenAPI schema at /api/schema/ documents the invoice and account endpoints."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client) -> dict:
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/invoices/", "get", {"200", "400", "401"}),
        ("/api/invoices/", "post", {"201", "400", "401"}),
        ("/api/invoices/{invoice_id}/", "get", {"200", "401", "404"}),
        ("/api/invoices/{invoice_id}/", "patch", {"200", "400", "401", "404", "409"}),
        ("/api/invoices/{invoice_id}/", "delete", {"204", "401", "404", "409"}),
        ("/api/invoices/{invoice_id}/send/", "post", {"200", "401", "404", "409"}),
        ("/api/invoices/{invoice_id}/void/", "post", {"200", "401", "404", "409"}),
        ("/api/auth/register/", "post", {"201", "400"}),
        ("/api/auth/login/", "post", {"200", "400", "429"}),
        ("/api/auth/logout/", "post", {"204"}),
        ("/api/auth/me/", "get", {"200", "401"}),
        ("/api/auth/token/", "post", {"200", "400", "429"}),
        ("/api/auth/token/revoke/", "post", {"200", "400", "401"}),
    ],
)
def test_endpoints_and_their_answers_are_documented(schema, path, method, codes):
    assert set(schema["paths"][path][method]["responses"]) == codes


def test_invoice_shapes_are_documented(schema):
    components = schema["components"]["schemas"]
    invoice = components["Invoice"]["properties"]
    create = components["InvoiceCreateRequest"]["properties"]

    assert {"id", "number", "items", "total", "amount_due", "payment_url", "status"} <= set(invoice)
    assert invoice["total"]["type"] == "string"
    assert {"client_name", "currency", "items"} <= set(create)
    assert "total" not in create
    assert components["InvoiceCreateRequest"]["required"] == ["client_name"]
    listed = schema["paths"]["/api/invoices/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["$ref"].endswith("PaginatedInvoiceList")


def test_the_payment_list_and_the_checkout_cap_are_documented(schema):
    listed = schema["paths"]["/api/payment/invoice/{invoice_id}/payments/"]["get"]["responses"]["200"]
    conflict = schema["paths"]["/api/payment/create-session/"]["post"]["responses"]["409"]

    assert listed["content"]["application/json"]["schema"]["$ref"].endswith("PaginatedOwnerPaymentList")
    assert "too_many_open_checkouts" in conflict["description"]
