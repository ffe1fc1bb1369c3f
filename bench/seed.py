"""Seed the benchmark database and write the fixture the load generator reads.

Two users:

- the **owner**, with exactly ``OWNER_INVOICES`` sent invoices (two items each) and a sandbox
  gateway: the invoice list, the payment list (``HISTORY_INVOICES`` of them carry a failed, an
  expired and a partly refunded payment), the public invoice view and create-session;
- the **merchant**, with ``--webhook-payments`` sent invoices, each with one pending sandbox
  payment whose checkout the provider has recorded as paid: the webhook phase sends each one's
  ``checkout.completed`` event (and redelivers some), then ``bench.check`` verifies the result.
  The merchant has receipts and payment notices switched off (``NotificationPreferences``).

The tables of the benchmark database are emptied first, so every run starts from the same
state. Run it with ``DJANGO_SETTINGS_MODULE=bench.settings``; it refuses a database whose name
does not contain "bench" unless ``BENCH_ALLOW_RESET=1``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import django

OWNER_INVOICES = 10_000
HISTORY_INVOICES = 300
# Invoices and payments kept out of the load, for the in-process query counts.
RESERVED = 20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--webhook-payments", type=int, default=20_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    started = time.monotonic()
    _reset()
    fixture = _seed(args.webhook_payments)
    _analyze()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "fixture.json").write_text(json.dumps(fixture))
    print(
        f"seeded {OWNER_INVOICES} owner invoices and {args.webhook_payments} pending webhook payments "
        f"in {time.monotonic() - started:.1f}s",
        file=sys.stderr,
    )


def _reset() -> None:
    from django.apps import apps
    from django.conf import settings
    from django.db import connection

    from bench.baselines import INGEST_TABLE

    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in str(name) and os.environ.get("BENCH_ALLOW_RESET") != "1":
        sys.exit(f"Refusing to empty database {name!r}: its name does not contain 'bench' (set BENCH_ALLOW_RESET=1).")
    labels = {"auth", "knox", "invoices", "payments", "sessions", "admin", "activity", "accounts", "notifications", "sandbox"}
    tables = [
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.label in labels
        for model in config.get_models()
        if not model._meta.proxy and model._meta.managed
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {INGEST_TABLE} ("
            " event_id varchar(255) PRIMARY KEY, body text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(f"TRUNCATE {', '.join(tables)}, {INGEST_TABLE} CASCADE")


def _analyze() -> None:
    """Fresh statistics and visibility map, as autovacuum would leave a database in use."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _seed(webhook_payments: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from accounts.tokens import issue_token
    from notifications.models import NotificationPreferences
    from payments.services import configs

    User = get_user_model()
    with transaction.atomic():
        owner = User.objects.create_user("bench-owner", "owner@bench.example", secrets.token_urlsafe(12))
        owner.first_name, owner.last_name = "Bench", "Studio"
        owner.save(update_fields=["first_name", "last_name"])
        _, token = issue_token(owner)
        owner_config = configs.create_config(owner=owner, gateway_name="sandbox", display_name="Sandbox")
        merchant = User.objects.create_user("bench-merchant", "merchant@bench.example", secrets.token_urlsafe(12))
        merchant_config = configs.create_config(owner=merchant, gateway_name="sandbox", display_name="Sandbox")
        # The webhook phases measure applying payments: this merchant's receipts (a PDF each)
        # and payment notices are switched off, so the workers' queue holds webhook events only.
        NotificationPreferences.objects.create(user=merchant, send_receipts=False, notify_payment_succeeded=False)
        owner_invoices = _invoices(owner, OWNER_INVOICES, items=2)
        owner_ids = [invoice.id for invoice in owner_invoices]
        _history(owner_ids[:HISTORY_INVOICES], owner_config)
        merchant_ids = [invoice.id for invoice in _invoices(merchant, webhook_payments, items=1)]
        events = _pending_payments(merchant_ids, merchant_config)
    # The public endpoints (public invoice, create-session) take the link's id; the owner's take id.
    public = [str(invoice.public_id) for invoice in owner_invoices]
    payable = public[HISTORY_INVOICES:]
    return {
        "token": token,
        "owner_invoices": public[:-RESERVED],
        "history_invoices": [str(i) for i in owner_ids[: HISTORY_INVOICES - RESERVED]],
        "payable_invoices": payable[:-RESERVED],
        "webhook_url": merchant_config.webhook_path,
        "webhook_secret": merchant_config.get_credentials()["webhook_secret"],
        "webhook_events": events[:-RESERVED],
        "reserved": {
            "history_invoices": [str(i) for i in owner_ids[HISTORY_INVOICES - RESERVED : HISTORY_INVOICES]],
            "history_public": public[HISTORY_INVOICES - RESERVED : HISTORY_INVOICES],
            "payable_invoices": payable[-RESERVED:],
            "payable_ids": [str(i) for i in owner_ids[-RESERVED:]],
            "webhook_events": events[-RESERVED:],
        },
    }


def _invoices(user, count: int, *, items: int) -> list:  # type: ignore[no-untyped-def,type-arg]
    from invoices.models import Invoice, InvoiceItem, InvoiceStatus

    today = datetime.date.today()
    price = Decimal("120.00")
    invoices = [
        Invoice(
            id=uuid.uuid4(),
            owner=user,
            number=f"INV-{n + 1:05d}",
            client_name=f"Client {n % 500}",
            client_email=f"billing{n % 500}@client.example",
            currency="USD",
            issue_date=today,
            due_date=today + datetime.timedelta(days=14),
            status=InvoiceStatus.SENT,
            total=price * items,
        )
        for n in range(count)
    ]
    Invoice.objects.bulk_create(invoices, batch_size=2000)
    lines = [
        InvoiceItem(
            invoice=invoice,
            position=position,
            description=f"Consulting, week {position + 1}",
            quantity=Decimal("1"),
            unit_price=price,
            amount=price,
        )
        for invoice in invoices
        for position in range(items)
    ]
    InvoiceItem.objects.bulk_create(lines, batch_size=4000)
    return invoices


def _history(invoice_ids: list[uuid.UUID], config) -> None:  # type: ignore[no-untyped-def]
    """Per invoice: a failed and an expired checkout, then a paid one refunded in part."""
    from invoices.models import Invoice, InvoiceStatus
    from payments.models import InvoicePayment, PaymentRefund, RefundSource
    from payments.state import PaymentStatus, RefundStatus

    total, refunded = Decimal("240.00"), Decimal("40.00")
    payments, refunds = [], []
    for invoice_id in invoice_ids:
        for status in (PaymentStatus.FAILED, PaymentStatus.EXPIRED, PaymentStatus.PARTIALLY_REFUNDED):
            payment = InvoicePayment(
                id=uuid.uuid4(),
                invoice_id=invoice_id,
                gateway_config=config,
                gateway_name="sandbox",
                status=status,
                amount=total,
                currency="USD",
                amount_refunded=refunded if status == PaymentStatus.PARTIALLY_REFUNDED else Decimal("0"),
                idempotency_key=f"trk-pay-{uuid.uuid4().hex}",
                gateway_session_id=f"cs_hist_{uuid.uuid4().hex}",
                failure_message="The card was declined." if status == PaymentStatus.FAILED else "",
            )
            payments.append(payment)
            if status == PaymentStatus.PARTIALLY_REFUNDED:
                refunds.append(
                    PaymentRefund(
                        payment=payment,
                        amount=refunded,
                        currency="USD",
                        status=RefundStatus.SUCCEEDED,
                        source=RefundSource.TRACKIFY,
                        idempotency_key=f"trk-ref-{uuid.uuid4().hex}",
                        gateway_refund_id=f"re_hist_{uuid.uuid4().hex[:16]}",
                    )
                )
    InvoicePayment.objects.bulk_create(payments, batch_size=2000)
    PaymentRefund.objects.bulk_create(refunds, batch_size=2000)
    Invoice.objects.filter(pk__in=invoice_ids).update(
        status=InvoiceStatus.PARTIALLY_PAID, amount_paid=total - refunded, amount_refunded=refunded
    )


def _pending_payments(invoice_ids: list[uuid.UUID], config) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """One open checkout per invoice, which the payer has paid at the provider; return for each
    the provider's signed-to-be ``checkout.completed`` event."""
    from django.utils import timezone

    from payments.models import InvoicePayment
    from sandbox import provider
    from sandbox.models import SandboxSession

    amount = Decimal("120.00")
    expires = timezone.now() + datetime.timedelta(hours=2)
    secret = config.get_credentials()["webhook_secret"]
    payments, sessions, events = [], [], []
    for invoice_id in invoice_ids:
        payment_id = uuid.uuid4()
        key = f"trk-pay-{uuid.uuid4().hex}"
        session = SandboxSession(
            id=f"cs_sbx_{uuid.uuid4().hex[:32]}",
            config_id=config.pk,
            idempotency_key=key,
            amount=amount,
            currency="USD",
            description="Invoice",
            success_url="http://127.0.0.1:8000/pay/return",
            cancel_url="http://127.0.0.1:8000/pay/cancel",
            metadata={"payment_id": str(payment_id), "invoice_id": str(invoice_id)},
            webhook_secret=secret,
            status="complete",
            payment_status="paid",
            outcome="pay",
            payment_reference=f"pi_sbx_{uuid.uuid4().hex[:32]}",
            expires_at=expires,
        )
        sessions.append(session)
        payments.append(
            InvoicePayment(
                id=payment_id,
                invoice_id=invoice_id,
                gateway_config=config,
                gateway_name="sandbox",
                amount=amount,
                currency="USD",
                idempotency_key=key,
                gateway_session_id=session.id,
                gateway_payment_reference=session.payment_reference,
                checkout_url=f"http://127.0.0.1:8000/sandbox/checkout/{session.id}",
                expires_at=expires,
            )
        )
        payload = provider.event("checkout.completed", session)
        events.append({"payment_id": str(payment_id), "event_id": payload["id"], "body": provider.encode(payload).decode()})
    SandboxSession.objects.bulk_create(sessions, batch_size=2000)
    InvoicePayment.objects.bulk_create(payments, batch_size=2000)
    return events


if __name__ == "__main__":
    main()
