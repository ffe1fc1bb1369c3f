"""The shape of Stripe credentials a user saves, and how they are shown back."""

from __future__ import annotations

import pytest

from payments.errors import GatewayCredentialsInvalid
from payments.gateways import registry
from payments.gateways.stripe import StripeGateway
from payments.tests.gateways import stripe_payloads as sp

SK_TEST = "sk_test_51Abc0000000000000000000000004242"
SK_LIVE = "sk_live_51Abc0000000000000000000000004242"
RK_TEST = "rk_test_51Abc0000000000000000000000001111"
PK_TEST = "pk_test_51Abc0000000000000000000000004242"
PK_LIVE = "pk_live_51Abc0000000000000000000000004242"


def _problems(credentials, mode="test"):
    with pytest.raises(GatewayCredentialsInvalid) as caught:
        StripeGateway.validate_credentials(credentials, mode=mode)
    return caught.value.details


def test_the_gateway_is_registered_with_its_fields():
    assert registry.get("stripe") is StripeGateway
    fields = {spec.name: spec for spec in StripeGateway.credential_fields}
    assert list(fields) == ["secret_key", "publishable_key", "webhook_secret"]
    assert fields["secret_key"].secret and fields["webhook_secret"].secret
    assert not fields["publishable_key"].secret
    assert not fields["webhook_secret"].required


@pytest.mark.parametrize(
    ("credentials", "mode"),
    [
        ({"secret_key": SK_TEST, "publishable_key": PK_TEST}, "test"),
        ({"secret_key": RK_TEST, "publishable_key": PK_TEST}, "test"),
        ({"secret_key": SK_LIVE, "publishable_key": PK_LIVE, "webhook_secret": "whsec_abc123"}, "live"),
    ],
)
def test_well_formed_credentials_are_kept(credentials, mode):
    assert StripeGateway.validate_credentials(credentials, mode=mode) == credentials


def test_values_are_trimmed_and_rotation_secrets_joined():
    cleaned = StripeGateway.validate_credentials(
        {"secret_key": f" {SK_TEST} ", "publishable_key": PK_TEST, "webhook_secret": "whsec_new1 , whsec_old2"}, mode="test"
    )
    assert cleaned == {"secret_key": SK_TEST, "publishable_key": PK_TEST, "webhook_secret": "whsec_new1,whsec_old2"}


def test_the_webhook_secret_can_come_later_but_the_keys_cannot():
    assert _problems({}) == {"secret_key": ["This field is required."], "publishable_key": ["This field is required."]}


@pytest.mark.parametrize(
    ("credentials", "field", "fragment"),
    [
        ({"secret_key": PK_TEST, "publishable_key": PK_TEST}, "secret_key", "publishable key"),
        ({"secret_key": "sk_4242", "publishable_key": PK_TEST}, "secret_key", "sk_test_"),
        ({"secret_key": SK_TEST, "publishable_key": SK_TEST}, "publishable_key", "pk_test_"),
        ({"secret_key": SK_TEST, "publishable_key": PK_TEST, "webhook_secret": "sec_123"}, "webhook_secret", "whsec_"),
        ({"secret_key": SK_TEST, "publishable_key": PK_TEST, "webhook_secret": "whsec_1,oops"}, "webhook_secret", "whsec_"),
        ({"secret_key": SK_TEST, "publishable_key": PK_TEST, "webhook_secret": 42}, "webhook_secret", "string"),
    ],
)
def test_malformed_values(credentials, field, fragment):
    problems = _problems(credentials)
    assert fragment in " ".join(problems[field])


def test_test_and_live_keys_are_not_mixed():
    problems = _problems({"secret_key": SK_TEST, "publishable_key": PK_LIVE})
    assert any("secret key is a test key" in message for message in problems["publishable_key"])


@pytest.mark.parametrize(
    ("credentials", "mode", "field"),
    [
        ({"secret_key": SK_LIVE, "publishable_key": PK_LIVE}, "test", "secret_key"),
        ({"secret_key": SK_TEST, "publishable_key": PK_TEST}, "live", "publishable_key"),
    ],
)
def test_keys_match_the_configurations_mode(credentials, mode, field):
    problems = _problems(credentials, mode=mode)
    assert any(f"in {mode} mode" in message for message in problems[field])


def test_preview_masks_secrets_only():
    preview = StripeGateway.credentials_preview({"secret_key": SK_TEST, "publishable_key": PK_TEST, "webhook_secret": "whsec_abcdef123456"})
    assert preview == {"secret_key": "sk_test_...4242", "publishable_key": PK_TEST, "webhook_secret": "whsec_...3456"}


def test_repr_never_shows_a_key():
    gateway = StripeGateway(credentials={"secret_key": SK_TEST}, mode="test", config_id="c1")
    assert SK_TEST not in repr(gateway)


def test_platform_secrets_come_from_settings(settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_one, whsec_two"
    assert list(StripeGateway.platform_webhook_secrets()) == ["whsec_one", "whsec_two"]
    settings.STRIPE_WEBHOOK_SECRET = None
    assert list(StripeGateway.platform_webhook_secrets()) == []


def test_a_live_key_on_a_test_configuration_fails_verification(stripe_api, make_gateway):
    stripe_api.expect_request("/v1/balance").respond_with_json(sp.balance(livemode=True))

    with pytest.raises(GatewayCredentialsInvalid, match="live key"):
        make_gateway(mode="test").verify_credentials()


def test_a_configuration_without_a_secret_key_cannot_call_stripe(stripe_api):
    with pytest.raises(GatewayCredentialsInvalid):
        StripeGateway(credentials={}, mode="test").verify_credentials()
    assert stripe_api.log == []
