"""The OpenAPI schema, its docs page, JSON 404s under /api/, and the app's routes."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_schema_documents_every_contract_path(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/payment/create-session/",
        "/api/payment/status/{payment_id}/",
        "/api/payment/refund/{payment_id}/",
        "/api/payment/invoice/{invoice_id}/payments/",
        "/api/payment/public/invoice/{invoice_id}/",
        "/api/payment/webhook/{gateway_name}/",
        "/api/payment/webhook/{gateway_name}/{config_id}/",
        "/api/payment/gateways/",
        "/api/payment/gateways/{config_id}/verify/",
        "/api/payment/gateway-types/",
        "/api/invoices/",
        "/api/auth/login/",
    ):
        assert path in paths, path
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_app_routes_serve_the_single_page_app(client):
    response = client.get("/pay/6b0f6a8e-7a4e-4c55-9d0b-2a1f3c4d5e6f")
    assert response.status_code == 200
    assert b"<html" in response.content.lower() or b"<!doctype html" in response.content.lower()
    assert "csrftoken" in response.cookies
