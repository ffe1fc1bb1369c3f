"""The report endpoints at 100,000 payments, timed in-process on PostgreSQL (``make bench``).

Seeds one owner (``reports-bench``, time zone Europe/Berlin) once per database: 20,000 USD
invoices for 500 clients and 100,000 payments over the last 14 months through two gateway
configurations (about 80% succeeded with a fee, 15% failed, 5% expired), and 10,000 refunds.
Before timing, vacuums the report tables, as autovacuum keeps them on a running server (the
visibility map lets PostgreSQL answer the reports from their indexes alone; a freshly seeded
table has none, and the benchmark's server may run with autovacuum off). Then asks each report for the default range (the last 12 months) through Django's test client,
signed in as that owner: one warm-up, then ``REPORTS_BENCH_RUNS`` timed runs (default 9); prints
the median and the slowest, the SQL queries per request, and whether each JSON report is under
the 150 ms goal. The CSV is timed reading the whole stream.

Environment: ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/trackify_reports_bench``,
created if missing), ``REPORTS_BENCH_PAYMENTS`` (default 100000), ``REPORTS_BENCH_RUNS``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from decimal import Decimal
from urllib.parse import urlsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/trackify_reports_bench"
PAYMENTS = int(os.environ.get("REPORTS_BENCH_PAYMENTS") or 100_000)
RUNS = int(os.environ.get("REPORTS_BENCH_RUNS") or 9)
GOAL_MS = 150
OWNER = "reports-bench"
ENDPOINTS = ("summary/", "timeseries/", "timeseries/?interval=week", "aging/", "clients/", "gateways/")


def main() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trackify.settings")
    os.environ.setdefault("SECRET_KEY", "reports-bench-" + uuid.uuid4().hex * 2)
    os.environ.setdefault("CREDENTIALS_ENCRYPTION_KEYS", "6VqQjE4xNMov1RM9fvMEk1qzJbhwlA0oC10tZzs9BIk=")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    owner = _seeded_owner()
    _vacuum()
    _time(owner)


def _create_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(parts._replace(path="/postgres").geturl())
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def _seeded_owner():  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from payments.models import InvoicePayment

    user, _ = get_user_model().objects.get_or_create(username=OWNER)
    have = InvoicePayment.objects.filter(invoice__owner=user).count()
    if have != PAYMENTS:
        print(f"Seeding {PAYMENTS:,} payments for {OWNER} (had {have:,})...", flush=True)
        started = time.perf_counter()
        _seed(user)
        print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)
    return user


def _vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:  # outside a transaction: VACUUM cannot run inside one
        cursor.execute("VACUUM (ANALYZE) payments_invoicepayment, payments_paymentrefund, invoices_invoice")


def _seed(user) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection, transaction

    from accounts.models import BusinessProfile
    from invoices.models import Invoice
    from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentRefund

    rng = random.Random(16)
    now = dt.datetime.now(dt.UTC)
    with transaction.atomic():
        PaymentRefund.objects.filter(payment__invoice__owner=user).delete()
        InvoicePayment.objects.filter(invoice__owner=user).delete()
        Invoice.objects.filter(owner=user).delete()
        PaymentGatewayConfig.objects.filter(owner=user).delete()
        BusinessProfile.objects.update_or_create(user=user, defaults={"time_zone": "Europe/Berlin"})
        configs = [
            PaymentGatewayConfig.objects.create(owner=user, gateway_name=name, display_name=label)
            for name, label in (("sandbox", "Sandbox"), ("stripe", "Stripe"))
        ]
        invoices = _invoices(user, rng, now)
        Invoice.objects.bulk_create(invoices, batch_size=5000)
        payments, refunds = _payments(invoices, configs, rng, now)
        InvoicePayment.objects.bulk_create(payments, batch_size=5000)
        PaymentRefund.objects.bulk_create(refunds, batch_size=5000)
        with connection.cursor() as cursor:
            # created_at is set on insert; each checkout was opened an hour before it would expire.
            cursor.execute(
                "UPDATE payments_invoicepayment SET created_at = expires_at - interval '60 minutes'"
                " WHERE gateway_config_id IN %s",
                [tuple(config.pk for config in configs)],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _invoices(user, rng: random.Random, now: dt.datetime) -> list:  # type: ignore[no-untyped-def,type-arg]
    from invoices.models import Invoice, InvoiceStatus

    invoices = []
    for n in range(PAYMENTS // 5):
        issued = (now - dt.timedelta(days=rng.randint(0, 430))).date()
        total = Decimal(rng.randint(2_000, 500_000)) / 100
        status = rng.choice((InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID, InvoiceStatus.PAID))
        paid = {InvoiceStatus.SENT: Decimal(0), InvoiceStatus.PARTIALLY_PAID: total / 2}.get(status, total)
        invoices.append(
            Invoice(
                owner=user, number=f"RB-{n:06d}", client_name=f"Client {rng.randint(1, 500):03d}", currency="USD",
                issue_date=issued, due_date=issued + dt.timedelta(days=30), status=status, total=total,
                amount_paid=paid.quantize(Decimal("0.01")),
            )
        )  # fmt: skip
    return invoices


def _payments(invoices, configs, rng: random.Random, now: dt.datetime):  # type: ignore[no-untyped-def]
    from payments.models import InvoicePayment, PaymentRefund

    payments, refunds = [], []
    for n in range(PAYMENTS):
        invoice = invoices[n // 5]
        at = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 425))
        roll = rng.random()
        status = "succeeded" if roll < 0.8 else "failed" if roll < 0.95 else "expired"
        paid = status == "succeeded"
        amount = (invoice.total / 5).quantize(Decimal("0.01"))
        fee = (amount * Decimal("0.029") + Decimal("0.30")).quantize(Decimal("0.01"))
        payment = InvoicePayment(
            invoice=invoice, gateway_config=configs[n % 2], gateway_name=configs[n % 2].gateway_name,
            status=status, amount=amount, currency="USD", idempotency_key=f"rb-{n}",
            gateway_session_id=f"cs_rb_{n}", gateway_payment_reference=f"pi_rb_{n}",
            expires_at=at + dt.timedelta(minutes=60), succeeded_at=at if paid else None,
            fee=fee if paid else None, net=amount - fee if paid else None, fee_currency="USD" if paid else "",
        )  # fmt: skip
        payments.append(payment)
        if paid and n % 8 == 0:
            half = (amount / 2).quantize(Decimal("0.01"))
            refunds.append(
                PaymentRefund(
                    payment=payment, amount=half, currency="USD", status="succeeded",
                    gateway_refund_id=f"re_rb_{n}", fee=Decimal(0), net=-half, fee_currency="USD",
                )
            )  # fmt: skip
    return payments, refunds


def _time(owner) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(owner)
    print(f"Reports at {PAYMENTS:,} payments, {RUNS} runs each, in-process on {connection.vendor}:")
    print(f"  {'endpoint':34} {'median':>9} {'slowest':>9} {'queries':>8}  goal < {GOAL_MS} ms")
    # The machine's floor: one pass over every payment row, the least any report over them costs.
    floor = []
    for _ in range(RUNS):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute("SELECT count(*), sum(amount) FROM payments_invoicepayment")
            cursor.fetchall()
            floor.append((time.perf_counter() - started) * 1000)
    print(f"  {'floor: one SUM over all payments':34} {statistics.median(floor):7.1f}ms {max(floor):7.1f}ms {1:8d}")
    failed = False
    for path in (*ENDPOINTS, "payments.csv"):
        url = f"/api/reports/{path}"
        samples = []
        for run in range(RUNS + 1):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                size = (
                    sum(len(chunk) for chunk in response.streaming_content)
                    if response.streaming
                    else len(response.content)
                )
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if run:  # the first is a warm-up
                samples.append(elapsed)
        median, slowest = statistics.median(samples), max(samples)
        if path.endswith(".csv"):
            verdict = f"{size / 1e6:.1f} MB streamed"
        else:
            verdict = "ok" if median < GOAL_MS else "OVER"
            failed |= median >= GOAL_MS
        print(f"  {url:34} {median:7.1f}ms {slowest:7.1f}ms {len(queries):8d}  {verdict}")
    sys.exit(1 if failed and os.environ.get("REPORTS_BENCH_STRICT") else 0)


if __name__ == "__main__":
    main()
