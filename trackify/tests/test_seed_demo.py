"""The demo (``manage.py seed_demo``, run by ``make run`` and ``make demo``)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from invoices.models import Invoice
from payments.models import PaymentGatewayConfig

pytestmark = pytest.mark.django_db


def run(*args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def test_seed_demo_prints_the_login_and_the_link(db):
    output = run("seed_demo", "--password", "demo-pass-123")
    assert "Username:       demo" in output and "demo-pass-123" in output
    assert "/pay/" in output

    invoice = Invoice.objects.get(owner__username="demo")
    assert invoice.status == "sent" and str(invoice.total) == "3290.000"
    run("seed_demo")  # running it again keeps one invoice and one gateway
    assert Invoice.objects.filter(owner__username="demo").count() == 1
    assert PaymentGatewayConfig.objects.filter(owner__username="demo").count() == 1
