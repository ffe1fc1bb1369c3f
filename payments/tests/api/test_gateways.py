"""Gateway configuration API: create, read, update, default, verify, delete, types."""

from __future__ import annotations

import pytest

from invoices.factories import UserFactory
from payments.models import PaymentGatewayConfig

pytestmark = pytest.mark.django_db
URL = "/api/payment/gateways/"
STRIPE = {"secret_key": "sk_test_51Habcdefghij4242", "publishable_key": "pk_test_51Habcdefghij9999"}


def create(client, **body):  # type: ignore[no-untyped-def]
    return client.post(URL, body, format="json")


def test_add_the_sandbox_in_one_click(owner_client):
    response = create(owner_client, gateway_name="sandbox", display_name="Sandbox")
    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {
        "id", "gateway_name", "display_name", "is_active", "is_default", "mode", "credentials_preview", "webhook_url",
        "created_at", "updated_at",
    }
    assert "credentials" not in body
    assert body["is_default"] is True
    assert body["webhook_url"].endswith(f"/api/payment/webhook/sandbox/{body['id']}/")
    assert body["credentials_preview"] == {}


def test_stripe_keys_are_masked_and_never_returned(owner_client):
    response = create(owner_client, gateway_name="stripe", credentials=STRIPE)
    assert response.status_code == 201, response.json()
    text = response.content.decode()
    assert STRIPE["secret_key"] not in text
    assert response.json()["credentials_preview"]["secret_key"] == "sk_test_...4242"
    listed = owner_client.get(URL).content.decode()
    assert STRIPE["secret_key"] not in listed and "sk_test_...4242" in listed


@pytest.mark.parametrize(
    "credentials",
    [
        {"secret_key": "pk_test_123456789", "publishable_key": "pk_test_123456789"},
        {"secret_key": "sk_live_123456789", "publishable_key": "pk_test_123456789"},
        {"secret_key": "sk_test_123456789", "publishable_key": "pk_test_123456789", "webhook_secret": "nope"},
        {"publishable_key": "pk_test_123456789"},
    ],
)
def test_malformed_credentials_are_refused_on_save(owner_client, credentials):
    response = create(owner_client, gateway_name="stripe", credentials=credentials)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "credentials" in response.json()["details"]
    assert PaymentGatewayConfig.objects.count() == 0


def test_unknown_gateway_name(owner_client):
    response = create(owner_client, gateway_name="paypalish")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "gateway_name" in response.json()["details"]


def test_patch_merges_credentials_and_keeps_the_secret(owner_client):
    config = create(owner_client, gateway_name="stripe", credentials=STRIPE).json()
    response = owner_client.patch(f"{URL}{config['id']}/", {"credentials": {"webhook_secret": "whsec_abcdefgh1234"}}, format="json")
    assert response.status_code == 200, response.json()
    stored = PaymentGatewayConfig.objects.get(pk=config["id"]).get_credentials()
    assert stored == {**STRIPE, "webhook_secret": "whsec_abcdefgh1234"}
    assert response.json()["credentials_preview"]["webhook_secret"] == "whsec_...1234"


def test_put_and_the_gateway_cannot_change(owner_client):
    config = create(owner_client, gateway_name="sandbox").json()
    response = owner_client.put(
        f"{URL}{config['id']}/", {"gateway_name": "sandbox", "display_name": "Test money", "mode": "test"}, format="json"
    )
    assert (response.status_code, response.json()["display_name"]) == (200, "Test money")
    changed = owner_client.patch(f"{URL}{config['id']}/", {"gateway_name": "stripe"}, format="json")
    assert changed.status_code == 400


def test_one_default_at_a_time(owner_client):
    first = create(owner_client, gateway_name="sandbox").json()
    second = create(owner_client, gateway_name="stripe", credentials=STRIPE).json()
    assert (first["is_default"], second["is_default"]) == (True, False)
    owner_client.patch(f"{URL}{second['id']}/", {"is_default": True}, format="json")
    defaults = {c["id"]: c["is_default"] for c in owner_client.get(URL).json()}
    assert defaults == {first["id"]: False, second["id"]: True}
    # Deactivating the default hands it to the other active config.
    owner_client.patch(f"{URL}{second['id']}/", {"is_active": False}, format="json")
    defaults = {c["id"]: c["is_default"] for c in owner_client.get(URL).json()}
    assert defaults == {first["id"]: True, second["id"]: False}


def test_delete_and_archive(owner_client, invoice, gateway, pay):
    spare = create(owner_client, gateway_name="sandbox").json()
    assert owner_client.delete(f"{URL}{spare['id']}/").status_code == 204
    assert not PaymentGatewayConfig.objects.filter(pk=spare["id"]).exists()
    payment_id = pay(invoice)
    assert owner_client.delete(f"{URL}{gateway.pk}/").status_code == 204
    gateway.refresh_from_db()
    assert gateway.archived_at is not None and not gateway.is_active
    assert owner_client.get(f"{URL}{gateway.pk}/").status_code == 404
    # Its payment can still be refunded.
    assert owner_client.post(f"/api/payment/refund/{payment_id}/", {}, format="json").status_code == 201


def test_verify(owner_client):
    config = create(owner_client, gateway_name="sandbox").json()
    response = owner_client.post(f"{URL}{config['id']}/verify/")
    assert response.status_code == 200
    assert response.json()["ok"] is True


def test_gateway_types_lists_the_installed_plugins(owner_client):
    types = {t["name"]: t for t in owner_client.get("/api/payment/gateway-types/").json()}
    assert {"sandbox", "stripe"} <= set(types)
    assert types["sandbox"]["credential_fields"] == []
    stripe_fields = {f["name"]: f for f in types["stripe"]["credential_fields"]}
    assert set(stripe_fields) == {"secret_key", "publishable_key", "webhook_secret"}
    assert stripe_fields["secret_key"]["secret"] is True


def test_private_and_owner_only(api_client, owner_client):
    config = create(owner_client, gateway_name="sandbox").json()
    assert api_client.get(URL).status_code == 401
    assert api_client.get("/api/payment/gateway-types/").status_code == 401
    api_client.force_authenticate(UserFactory())
    assert api_client.get(URL).json() == []
    for method in ("get", "put", "patch", "delete"):
        assert getattr(api_client, method)(f"{URL}{config['id']}/", {}, format="json").status_code == 404
    assert api_client.post(f"{URL}{config['id']}/verify/").status_code == 404
    assert PaymentGatewayConfig.objects.filter(pk=config["id"], is_active=True).exists()
