"""Managed webhook endpoints of archived configs (payments.services.webhook_endpoints), and two
saves racing to create one, against the fake Stripe over HTTP."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from invoices.factories import InvoiceFactory
from payments.errors import GatewayCredentialsInvalid
from payments.factories import PaymentFactory
from payments.models import PaymentGatewayConfig
from payments.services import configs, webhook_endpoints
from payments.state import PaymentStatus
from payments.tests.gateways import fake_stripe as fake
from payments.tests.gateways.conftest import PUBLISHABLE_KEY, TEST_SECRET_KEY

KEYS = {"secret_key": TEST_SECRET_KEY, "publishable_key": PUBLISHABLE_KEY}


@pytest.fixture
def fake_stripe(httpserver, settings) -> fake.FakeStripe:  # type: ignore[no-untyped-def]
    return fake.serve(httpserver, settings)


def _archived_with_payment(owner, fake_stripe, *, status, paid_days_ago):  # type: ignore[no-untyped-def]
    config = configs.connect(owner=owner, gateway_name="stripe", credentials=KEYS)
    assert config.webhook_mode == "managed" and len(fake_stripe.endpoints) == 1
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")])
    PaymentFactory(
        invoice=invoice, gateway_config=config, gateway_name="stripe", status=status,
        succeeded_at=timezone.now() - timedelta(days=paid_days_ago) if status == PaymentStatus.SUCCEEDED else None,
    )
    configs.remove(config=config)
    config.refresh_from_db()
    assert config.archived_at is not None
    assert len(fake_stripe.endpoints) == 1  # archived: the endpoint still receives refunds and disputes
    return config


@pytest.mark.django_db
def test_an_archived_config_keeps_its_endpoint_while_its_payments_can_change(owner, fake_stripe):
    _archived_with_payment(owner, fake_stripe, status=PaymentStatus.SUCCEEDED, paid_days_ago=10)

    assert webhook_endpoints.retire_archived_endpoints() == 0
    assert len(fake_stripe.endpoints) == 1


@pytest.mark.django_db
def test_the_endpoint_is_deleted_once_no_payment_can_change(owner, fake_stripe):
    config = _archived_with_payment(owner, fake_stripe, status=PaymentStatus.SUCCEEDED, paid_days_ago=200)
    out = StringIO()

    call_command("retire_webhook_endpoints", stdout=out)

    assert "1 webhook endpoint(s) deleted" in out.getvalue()
    assert fake_stripe.endpoints == {}
    config.refresh_from_db()
    assert (config.webhook_endpoint_id, config.webhook_mode) == ("", "manual")
    assert webhook_endpoints.retire_archived_endpoints() == 0  # nothing left to do


@pytest.mark.django_db
def test_an_open_payment_keeps_the_endpoint(owner, fake_stripe):
    _archived_with_payment(owner, fake_stripe, status=PaymentStatus.PENDING, paid_days_ago=0)
    assert webhook_endpoints.retire_archived_endpoints() == 0


@pytest.mark.django_db
def test_stripe_saying_live_for_a_test_configuration_is_refused(owner, fake_stripe):
    fake_stripe.livemode = True
    with pytest.raises(GatewayCredentialsInvalid, match="live key but the configuration is in test mode"):
        configs.connect(owner=owner, gateway_name="stripe", credentials=KEYS)
    assert not PaymentGatewayConfig.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_verifies_at_once_create_one_endpoint(fake_stripe):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    from accounts.factories import UserFactory

    config = configs.connect(
        owner=UserFactory(), gateway_name="stripe", credentials={**KEYS, "webhook_secret": "whsec_typedbyhand0001"}
    )
    # Back to "no endpoint, no typed secret": both requests below would create one.
    credentials = {k: v for k, v in config.get_credentials().items() if k != "webhook_secret"}
    config.set_credentials(credentials, {})
    config.save()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def verify() -> None:
        try:
            barrier.wait()
            configs.verify(config=PaymentGatewayConfig.objects.get(pk=config.pk))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=verify) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(fake_stripe.endpoints) == 1
    config.refresh_from_db()
    assert config.webhook_endpoint_id in fake_stripe.endpoints
