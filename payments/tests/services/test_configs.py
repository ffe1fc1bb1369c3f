"""Writes to gateway configurations (payments.services.configs), called directly."""

from __future__ import annotations

import pytest

from accounts.factories import UserFactory
from payments.errors import GatewayCredentialsInvalid
from payments.factories import PaymentFactory
from payments.models import PaymentGatewayConfig
from payments.services import configs

pytestmark = pytest.mark.django_db

STRIPE = {"secret_key": "sk_test_51Hsupersecretvalue4242", "publishable_key": "pk_test_abcdefgh"}


def _defaults(owner) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.display_name for c in PaymentGatewayConfig.objects.filter(owner=owner, is_default=True)]


def test_the_first_active_config_is_the_default_and_a_sandbox_needs_no_verification():
    owner = UserFactory()
    first = configs.create_config(owner=owner, gateway_name="sandbox", display_name="One")
    second = configs.create_config(owner=owner, gateway_name="sandbox", display_name="Two")

    assert (first.is_default, second.is_default) == (True, False)
    assert first.verified_at is not None


def test_making_another_config_the_default_leaves_one_default():
    owner = UserFactory()
    configs.create_config(owner=owner, gateway_name="sandbox", display_name="One")
    second = configs.create_config(owner=owner, gateway_name="sandbox", display_name="Two")

    configs.update_config(config=second, is_default=True)

    assert _defaults(owner) == ["Two"]


def test_credentials_are_checked_stored_encrypted_and_shown_masked():
    config = configs.create_config(owner=UserFactory(), gateway_name="stripe", credentials=STRIPE)

    assert config.get_credentials()["secret_key"] == STRIPE["secret_key"]
    assert STRIPE["secret_key"] not in config.credentials_encrypted
    assert config.verified_at is None  # the provider has not accepted them yet
    with pytest.raises(GatewayCredentialsInvalid):
        configs.create_config(owner=UserFactory(), gateway_name="stripe", credentials={"secret_key": "pk_test_x"})


def test_new_credentials_are_merged_and_no_longer_verified():
    config = configs.create_config(owner=UserFactory(), gateway_name="stripe", credentials=STRIPE)
    config = configs.record_verification(config=config, accepted=True)
    assert config.verified_at is not None

    config = configs.update_config(
        config=config, credentials={"secret_key": "sk_test_51Hanothervalue9999", "publishable_key": ""}
    )

    assert config.get_credentials()["publishable_key"] == STRIPE["publishable_key"]  # a blank keeps the stored one
    assert config.verified_at is None


def test_a_verification_about_keys_no_longer_stored_is_not_recorded():
    config = configs.create_config(owner=UserFactory(), gateway_name="stripe", credentials=STRIPE)
    asked_about = PaymentGatewayConfig.objects.get(pk=config.pk)
    configs.update_config(config=config, credentials={"secret_key": "sk_test_51Hanothervalue9999"})

    assert configs.record_verification(config=asked_about, accepted=True).verified_at is None


def test_a_config_with_payments_is_archived_and_the_next_one_becomes_the_default(invoice, gateway):
    owner = invoice.owner
    other = configs.create_config(owner=owner, gateway_name="sandbox", display_name="Other")
    PaymentFactory(invoice=invoice, gateway_config=gateway)

    configs.delete_config(config=gateway)

    gateway.refresh_from_db()
    assert (gateway.archived_at is not None, gateway.is_active, gateway.is_default) == (True, False, False)
    other.refresh_from_db()
    assert other.is_default


def test_a_config_without_payments_is_deleted():
    config = configs.create_config(owner=UserFactory(), gateway_name="sandbox")
    configs.delete_config(config=config)
    assert not PaymentGatewayConfig.objects.exists()
