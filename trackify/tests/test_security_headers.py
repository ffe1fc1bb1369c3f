"""The Content-Security-Policy on every kind of page, and JSON errors for a disallowed Host."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.factories import UserFactory
from invoices.factories import InvoiceFactory
from payments.factories import sandbox_config

pytestmark = pytest.mark.django_db


def policy_of(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def assert_strict(policy: dict[str, list[str]]) -> None:
    """No inline or injected script can run, and no other site can frame the page or take its forms."""
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'self'" in policy["form-action"] and "*" not in policy["form-action"]
    assert "'unsafe-inline'" not in policy["style-src"]


@pytest.fixture
def checkout_path(api_client) -> str:
    owner = UserFactory()
    sandbox_config(owner=owner)
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "10.00")])
    created = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json")
    assert created.status_code == 201, created.json()
    return re.sub(r"^https?://[^/]+", "", created.json()["checkout_url"])


@pytest.mark.parametrize(
    "path", ["/", "/invoices", "/pay/6b0f6a8e-7a4e-4c55-9d0b-2a1f3c4d5e6f", "/admin/login/", "/api/auth/me/"]
)
def test_every_page_carries_a_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code in (200, 401)
    assert_strict(policy_of(response))


def test_the_built_app_served_as_a_file_carries_the_policy_too(settings, tmp_path):
    # WhiteNoise answers files of frontend/dist before any view runs: the policy must still apply.
    (tmp_path / "index.html").write_text("<!doctype html><title>Trackify</title>", encoding="utf-8")
    settings.WHITENOISE_ROOT = tmp_path
    response = Client().get("/index.html")
    assert response.status_code == 200
    assert_strict(policy_of(response))


def test_the_sandbox_page_styles_itself_with_the_nonce_of_its_policy(client, checkout_path):
    response = client.get(checkout_path)
    assert response.status_code == 200
    policy = policy_of(response)
    assert_strict(policy)
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in policy["style-src"]
    # Each page gets its own nonce: one seen before cannot be replayed by injected markup.
    again = policy_of(client.get(checkout_path))
    assert f"'nonce-{nonce}'" not in again["style-src"]


def test_the_sandbox_form_may_post_to_itself_and_return_to_the_app(client, checkout_path, settings):
    form_action = policy_of(client.get(checkout_path))["form-action"]
    assert "'self'" in form_action
    assert settings.PUBLIC_BASE_URL in form_action


def test_the_admin_login_page_runs_no_inline_script(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_strict(policy_of(response))
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", response.content.decode())


def test_the_api_docs_page_runs_no_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = policy_of(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", response.content.decode())
    # Its start-up script comes from this app.
    assert client.get("/api/docs/?script=").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/auth/me/"),
        ("post", "/api/auth/login/"),
        ("get", "/api/payment/public/invoice/6b0f6a8e-7a4e-4c55-9d0b-2a1f3c4d5e6f/"),
        ("post", "/api/payment/create-session/"),
        ("get", "/api/no-such-endpoint/"),
    ],
)
def test_a_disallowed_host_gets_a_json_error_from_the_api(client, method, path):
    response = getattr(client, method)(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == "disallowed_host"
    assert "evil.example" not in body["message"]  # the server does not echo what it was sent


def test_a_disallowed_host_gets_json_from_the_api_with_debug_on_too(client, settings):
    # `make run` serves the demo with DEBUG on, where Django would answer its HTML debug page.
    settings.DEBUG = True
    response = client.get("/api/auth/me/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.json()["code"] == "disallowed_host"


def test_a_disallowed_host_outside_the_api_still_gets_a_page(client):
    response = client.get("/invoices", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
