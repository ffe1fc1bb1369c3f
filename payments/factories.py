"""factory_boy factories for gateway configs and payments."""

from __future__ import annotations

import uuid
from decimal import Decimal

import factory

from accounts.factories import UserFactory
from invoices.factories import InvoiceFactory
from payments.models import InvoicePayment, PaymentGatewayConfig
from payments.services import configs
from payments.state import PaymentStatus


def sandbox_config(owner=None, **kwargs) -> PaymentGatewayConfig:  # type: ignore[no-untyped-def]
    """A sandbox gateway config, created the way the API creates one."""
    return configs.create_config(owner=owner or UserFactory(), gateway_name="sandbox", **kwargs)


class PaymentFactory(factory.django.DjangoModelFactory):
    """A payment row as the service would leave it; for read-side tests (lists, admin)."""

    class Meta:
        model = InvoicePayment

    invoice = factory.SubFactory(InvoiceFactory)
    gateway_config = factory.LazyAttribute(lambda p: sandbox_config(owner=p.invoice.owner))
    gateway_name = "sandbox"
    amount = factory.LazyAttribute(lambda p: p.invoice.total)
    currency = factory.LazyAttribute(lambda p: p.invoice.currency)
    status = PaymentStatus.PENDING
    amount_refunded = Decimal("0")
    idempotency_key = factory.LazyFunction(lambda: f"trk-pay-{uuid.uuid4().hex}")
    gateway_session_id = factory.LazyFunction(lambda: f"cs_sbx_{uuid.uuid4().hex}")
    checkout_url = factory.LazyAttribute(lambda p: f"http://127.0.0.1:8000/sandbox/checkout/{p.gateway_session_id}")
