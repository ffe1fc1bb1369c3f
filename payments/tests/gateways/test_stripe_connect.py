"""Connecting Stripe in one step, through the API, the real SDK and a fake Stripe over HTTP:
keys verified on save, the webhook endpoint created, repaired and deleted for the user."""

from __future__ import annotations

import logging

import pytest

from payments.gateways.stripe.client import STRIPE_API_VERSION
from payments.gateways.stripe.endpoints import ENABLED_EVENTS
from payments.models import PaymentGatewayConfig
from payments.services import webhook_endpoints
from payments.tests.gateways import stripe_payloads as sp
from payments.tests.gateways.conftest import PUBLISHABLE_KEY, TEST_SECRET_KEY

pytestmark = pytest.mark.django_db
URL = "/api/payment/gateways/"
KEYS = {"secret_key": TEST_SECRET_KEY, "publishable_key": PUBLISHABLE_KEY}


def connect(client, **credentials):  # type: ignore[no-untyped-def]
    return client.post(URL, {"gateway_name": "stripe", "credentials": {**KEYS, **credentials}}, format="json")


def webhook(client, config_id, payload, secret):  # type: ignore[no-untyped-def]
    body = sp.encode(payload)
    return client.post(
        f"/api/payment/webhook/stripe/{config_id}/", body, content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sp.sign(body, secret),
    )


def test_good_keys_are_verified_and_the_webhook_endpoint_is_created_for_the_user(owner_client, fake_stripe, caplog):
    caplog.set_level(logging.DEBUG)
    response = connect(owner_client)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["verified"], body["verify_error"], body["webhook_mode"]) == (True, "", "managed")
    (endpoint,) = fake_stripe.endpoints.values()
    assert endpoint["url"] == body["webhook_url"]
    assert endpoint["url"].endswith(f"/api/payment/webhook/stripe/{body['id']}/")
    assert sorted(endpoint["enabled_events"]) == sorted(ENABLED_EVENTS)
    assert {"checkout.session.completed", "charge.dispute.created", "charge.dispute.closed", "refund.updated"} <= set(
        endpoint["enabled_events"]
    )
    assert endpoint["api_version"] == STRIPE_API_VERSION
    secret = fake_stripe.endpoint_secrets[endpoint["id"]]
    config = PaymentGatewayConfig.objects.get()
    assert config.get_credentials()["webhook_secret"] == secret
    assert config.webhook_endpoint_id == endpoint["id"]
    assert secret not in config.credentials_encrypted
    for text in (response.content.decode(), owner_client.get(URL).content.decode(), caplog.text):
        assert secret not in text and TEST_SECRET_KEY not in text


def test_the_secret_never_shows_on_the_admin_pages(admin_client, owner_client, fake_stripe):
    connect(owner_client)
    config = PaymentGatewayConfig.objects.get()
    secret = config.get_credentials()["webhook_secret"]
    for url in ("/admin/payments/paymentgatewayconfig/", f"/admin/payments/paymentgatewayconfig/{config.pk}/change/"):
        page = admin_client.get(url)
        assert page.status_code == 200
        assert secret not in page.content.decode()


def test_a_key_stripe_refuses_is_a_field_error_and_nothing_is_saved(owner_client, fake_stripe):
    fake_stripe.refused_keys.add(TEST_SECRET_KEY)

    response = connect(owner_client)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "did not accept" in " ".join(body["details"]["credentials"])
    assert not PaymentGatewayConfig.objects.exists()
    assert fake_stripe.endpoints == {}


def test_stripe_unreachable_saves_the_config_not_verified_and_verify_retries(owner_client, fake_stripe):
    fake_stripe.down = True
    created = connect(owner_client)

    assert created.status_code == 201
    body = created.json()
    assert (body["verified"], body["webhook_mode"]) == (False, "manual")
    assert "could not check" in body["verify_error"]
    assert fake_stripe.endpoints == {}

    fake_stripe.down = False
    verified = owner_client.post(f"{URL}{body['id']}/verify/")

    assert verified.status_code == 200 and verified.json()["verified"] is True
    shown = owner_client.get(f"{URL}{body['id']}/").json()
    assert (shown["verified"], shown["verify_error"], shown["webhook_mode"]) == (True, "", "managed")
    assert len(fake_stripe.endpoints) == 1  # the verify that succeeded created the missing endpoint


def test_a_pasted_signing_secret_means_manual_mode_and_no_endpoint(owner_client, fake_stripe):
    body = connect(owner_client, webhook_secret="whsec_typedbyhand0001").json()
    assert (body["verified"], body["webhook_mode"]) == (True, "manual")
    assert fake_stripe.endpoints == {}


def test_saving_again_creates_no_second_endpoint(owner_client, fake_stripe):
    body = connect(owner_client).json()
    config = PaymentGatewayConfig.objects.get()

    webhook_endpoints.ensure(config=config)
    owner_client.patch(f"{URL}{body['id']}/", {"display_name": "Shop", "credentials": {}}, format="json")
    owner_client.post(f"{URL}{body['id']}/verify/")

    assert len(fake_stripe.endpoints) == 1


def test_a_claimed_row_is_left_to_the_request_that_claimed_it(owner_client, fake_stripe):
    body = connect(owner_client, webhook_secret="whsec_typedbyhand0001").json()
    config = PaymentGatewayConfig.objects.get(pk=body["id"])
    # Another request is creating the endpoint right now (its claim is fresh).
    token = webhook_endpoints._claim(config, expected="")
    assert token

    with pytest.raises(Exception, match="being created"):
        webhook_endpoints.repair(config=config)
    assert fake_stripe.endpoints == {}


def test_deleting_the_config_deletes_its_endpoint(owner_client, fake_stripe):
    body = connect(owner_client).json()
    assert len(fake_stripe.endpoints) == 1

    assert owner_client.delete(f"{URL}{body['id']}/").status_code == 204

    assert fake_stripe.endpoints == {}
    assert not PaymentGatewayConfig.objects.exists()


def test_repair_recreates_a_missing_endpoint_and_keeps_the_old_secret_during_the_switch(owner_client, fake_stripe):
    body = connect(owner_client).json()
    (old_id,) = fake_stripe.endpoints
    old_secret = fake_stripe.endpoint_secrets[old_id]
    fake_stripe.endpoints.clear()  # someone deleted it in Stripe's dashboard

    repaired = owner_client.post(f"{URL}{body['id']}/repair-webhooks/")

    assert repaired.status_code == 200, repaired.json()
    assert repaired.json()["webhook_mode"] == "managed"
    (new_id,) = fake_stripe.endpoints
    assert new_id != old_id
    new_secret = fake_stripe.endpoint_secrets[new_id]
    config = PaymentGatewayConfig.objects.get()
    assert config.webhook_endpoint_id == new_id
    assert config.get_credentials()["webhook_secret"] == f"{new_secret},{old_secret}"
    assert new_secret not in repaired.content.decode()
    # Events signed with either secret are accepted during the switch.
    for secret in (new_secret, old_secret):
        assert webhook(owner_client, body["id"], sp.event("customer.created", {"id": "cus_1"}), secret).status_code == 200
    assert webhook(owner_client, body["id"], sp.event("customer.created", {"id": "cus_2"}), "whsec_other").status_code == 400


def test_repair_from_manual_mode_switches_to_managed(owner_client, fake_stripe):
    body = connect(owner_client, webhook_secret="whsec_typedbyhand0001").json()

    repaired = owner_client.post(f"{URL}{body['id']}/repair-webhooks/").json()

    assert repaired["webhook_mode"] == "managed"
    (new_id,) = fake_stripe.endpoints
    secrets = PaymentGatewayConfig.objects.get().get_credentials()["webhook_secret"]
    assert secrets == f"{fake_stripe.endpoint_secrets[new_id]},whsec_typedbyhand0001"


def test_repair_is_refused_for_a_gateway_that_cannot_manage_endpoints(owner_client):
    config = owner_client.post(URL, {"gateway_name": "sandbox"}, format="json").json()
    response = owner_client.post(f"{URL}{config['id']}/repair-webhooks/")
    assert response.status_code == 400
    assert config["manages_webhooks"] is False


def test_new_keys_of_another_account_move_the_endpoint(owner_client, fake_stripe):
    body = connect(owner_client).json()
    (old_id,) = fake_stripe.endpoints

    other = "sk_test_51TrackifyAccountTwo0000000000000000009999"
    changed = owner_client.patch(f"{URL}{body['id']}/", {"credentials": {"secret_key": other}}, format="json")

    assert changed.status_code == 200 and changed.json()["verified"] is True
    (new_id,) = fake_stripe.endpoints
    assert new_id != old_id
    assert PaymentGatewayConfig.objects.get().webhook_endpoint_id == new_id


def test_new_keys_stripe_refuses_change_nothing(owner_client, fake_stripe):
    body = connect(owner_client).json()
    other = "sk_test_51TrackifyAccountTwo0000000000000000009999"
    fake_stripe.refused_keys.add(other)

    refused = owner_client.patch(f"{URL}{body['id']}/", {"credentials": {"secret_key": other}}, format="json")

    assert refused.status_code == 400 and refused.json()["code"] == "invalid"
    config = PaymentGatewayConfig.objects.get()
    assert config.get_credentials()["secret_key"] == TEST_SECRET_KEY and config.verified_at is not None
