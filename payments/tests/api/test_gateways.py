"""Gateway configuration API: create, read, update, default, verify, delete, types."""

from __future__ import annotations

import pytest

from accounts.factories import UserFactory
from payments.models import PaymentGatewayConfig
from payments.tests.gateways import stripe_payloads as sp

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


def test_refused_keys_are_named_as_the_form_labels_them(owner_client):
    bad = {"secret_key": "pk_test_123456789", "publishable_key": "pk_test_123456789", "webhook_secret": "nope"}
    body = create(owner_client, gateway_name="stripe", credentials=bad).json()
    # One entry per credential field, under the names the form's inputs use...
    assert set(body["details"]["credentials"]) == {"secret_key", "webhook_secret"}
    assert body["details"]["credentials"]["secret_key"][0].startswith("A Stripe secret key starts with sk_test_")
    # ...and a message that names each field by its label, never the internal "credentials".
    assert body["message"] == (
        "Secret key: A Stripe secret key starts with sk_test_ or sk_live_ (rk_test_ or rk_live_ for a restricted key)."
        " This looks like a publishable key."
        " Webhook signing secret: A Stripe webhook signing secret starts with whsec_ (separate several with commas)."
    )


def test_other_invalid_fields_are_named_in_words(owner_client):
    config = create(owner_client, gateway_name="sandbox").json()
    body = owner_client.patch(f"{URL}{config['id']}/", {"display_name": "x" * 101}, format="json").json()
    assert (body["code"], list(body["details"])) == ("invalid", ["display_name"])
    assert body["message"].startswith("Display name: ")


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


def test_the_sandbox_is_verified_from_the_start(owner_client):
    config = create(owner_client, gateway_name="sandbox").json()
    assert config["verified"] is True and config["verified_at"]
    renamed = owner_client.patch(f"{URL}{config['id']}/", {"display_name": "Demo", "credentials": {}}, format="json").json()
    assert renamed["verified"] is True


@pytest.fixture
def stripe_balance(httpserver, settings):  # type: ignore[no-untyped-def]
    """Stripe's balance endpoint (what verify calls), served locally: set its answer per test."""
    settings.STRIPE_API_BASE = httpserver.url_for("/").rstrip("/")
    return httpserver


def test_stripe_keys_are_not_verified_until_stripe_accepts_them(owner_client, stripe_balance):
    config = create(owner_client, gateway_name="stripe", credentials={**STRIPE, "secret_key": "sk_test_bad"}).json()
    assert (config["verified"], config["verified_at"]) == (False, None)

    stripe_balance.expect_oneshot_request("/v1/balance").respond_with_json(sp.error("Invalid API Key provided"), status=401)
    refused = owner_client.post(f"{URL}{config['id']}/verify/")
    assert (refused.status_code, refused.json()["code"]) == (400, "gateway_credentials_invalid")
    assert owner_client.get(f"{URL}{config['id']}/").json()["verified"] is False

    stripe_balance.expect_oneshot_request("/v1/balance").respond_with_json(sp.balance(livemode=False))
    accepted = owner_client.post(f"{URL}{config['id']}/verify/")
    assert accepted.status_code == 200 and accepted.json()["verified"] is True
    shown = owner_client.get(f"{URL}{config['id']}/").json()
    assert shown["verified"] is True and shown["verified_at"]


def test_a_failed_verify_and_new_keys_each_clear_verified(owner_client, stripe_balance):
    config = create(owner_client, gateway_name="stripe", credentials=STRIPE).json()
    stripe_balance.expect_oneshot_request("/v1/balance").respond_with_json(sp.balance(livemode=False))
    assert owner_client.post(f"{URL}{config['id']}/verify/").json()["verified"] is True

    # Renaming or making it the default keeps what Stripe accepted...
    renamed = owner_client.patch(f"{URL}{config['id']}/", {"display_name": "Shop"}, format="json").json()
    assert renamed["verified"] is True
    # ...new keys were never shown to Stripe.
    new_keys = {"credentials": {"secret_key": "sk_test_51Hotherkey00009999"}}
    assert owner_client.patch(f"{URL}{config['id']}/", new_keys, format="json").json()["verified"] is False

    stripe_balance.expect_oneshot_request("/v1/balance").respond_with_json(sp.balance(livemode=False))
    assert owner_client.post(f"{URL}{config['id']}/verify/").json()["verified"] is True
    stripe_balance.expect_oneshot_request("/v1/balance").respond_with_json(sp.error("Expired API Key provided"), status=401)
    assert owner_client.post(f"{URL}{config['id']}/verify/").status_code == 400
    assert owner_client.get(f"{URL}{config['id']}/").json()["verified"] is False


def test_gateway_types_lists_the_installed_plugins(owner_client):
    types = {t["name"]: t for t in owner_client.get("/api/payment/gateway-types/").json()}
    assert {"sandbox", "stripe"} <= set(types)
    assert types["sandbox"]["credential_fields"] == []
    stripe_fields = {f["name"]: f for f in types["stripe"]["credential_fields"]}
    assert set(stripe_fields) == {"secret_key", "publishable_key", "webhook_secret"}
    assert stripe_fields["secret_key"]["secret"] is True
    assert stripe_fields["secret_key"]["label"] == "Secret key"


def test_only_gateways_that_need_it_ask_for_webhook_set_up(owner_client):
    types = {t["name"]: t for t in owner_client.get("/api/payment/gateway-types/").json()}
    assert (types["sandbox"]["needs_webhook_setup"], types["stripe"]["needs_webhook_setup"]) == (False, True)
    create(owner_client, gateway_name="sandbox")
    create(owner_client, gateway_name="stripe", credentials=STRIPE)
    shown = {c["gateway_name"]: c["needs_webhook_setup"] for c in owner_client.get(URL).json()}
    assert shown == {"sandbox": False, "stripe": True}


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
