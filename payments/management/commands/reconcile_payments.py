"""Ask the gateways about payments and refunds that are still open, and apply what they say.

The same transitions as the webhooks apply, so a missed webhook (or a crash between a gateway
call and our write) is repaired. Calls to one gateway account are paced to stay under
``--rate`` requests per second.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from payments.errors import PaymentError
from payments.services import PaymentService, status_sync


class Pacer:
    """At most ``rate`` calls a second per key (one key per gateway account)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.last: dict[object, float] = defaultdict(lambda: 0.0)

    def wait(self, key: object) -> None:
        delay = self.last[key] + self.interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self.last[key] = time.monotonic()


class Command(BaseCommand):
    help = "Refresh payments pending or processing for more than N minutes, and pending refunds, from their gateways."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--older-than", type=float, default=10.0, help="Minutes since the last change (default 10).")
        parser.add_argument("--rate", type=float, default=4.0, help="Requests per second per gateway account (default 4).")
        parser.add_argument("--limit", type=int, default=5000)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        cutoff = timezone.now() - timedelta(minutes=options["older_than"])
        service = PaymentService()
        pacer = Pacer(options["rate"])
        payments = status_sync.stale_payments(unchanged_since=cutoff, limit=options["limit"])
        refunds = status_sync.stale_refunds(unchanged_since=cutoff, limit=options["limit"])
        total = len(payments) + len(refunds)
        self.stdout.write(f"Reconciling {len(payments)} payment(s) and {len(refunds)} refund(s)...")
        changed = errors = 0
        for done, payment in enumerate(payments, start=1):
            pacer.wait(payment.gateway_config_id)
            before = payment.status
            try:
                after = service.refresh_payment(payment=payment).status
            except PaymentError as exc:
                errors += 1
                self.stderr.write(f"  [{done}/{total}] payment {payment.pk}: {exc.code}: {exc.message}")
                continue
            changed += after != before
            self.stdout.write(f"  [{done}/{total}] payment {payment.pk}: {before} -> {after}")
        for done, refund in enumerate(refunds, start=len(payments) + 1):
            pacer.wait(refund.payment.gateway_config_id)
            try:
                after = service.refresh_refund(refund=refund).status
            except PaymentError as exc:
                errors += 1
                self.stderr.write(f"  [{done}/{total}] refund {refund.pk}: {exc.code}: {exc.message}")
                continue
            changed += after != refund.status
            self.stdout.write(f"  [{done}/{total}] refund {refund.pk}: {refund.status} -> {after}")
        self.stdout.write(f"Done: {total} checked, {changed} changed, {errors} could not be reached.")
