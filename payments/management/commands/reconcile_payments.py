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

from payments.services.reconcile import reconcile


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
        parser.add_argument(
            "--older-than", type=float, default=10.0, help="Minutes since the last change (default 10)."
        )
        parser.add_argument(
            "--rate", type=float, default=4.0, help="Requests per second per gateway account (default 4)."
        )
        parser.add_argument("--limit", type=int, default=5000)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        cutoff = timezone.now() - timedelta(minutes=options["older_than"])
        pacer = Pacer(options["rate"])
        self.stdout.write(f"Reconciling payments and refunds open since before {cutoff:%Y-%m-%d %H:%M} UTC...")
        results = reconcile(unchanged_since=cutoff, limit=options["limit"], before_call=pacer.wait)
        total = len(results)
        for done, result in enumerate(results, start=1):
            line = f"  [{done}/{total}] {result.kind} {result.id}: "
            if result.error:
                self.stderr.write(line + result.error)
            else:
                self.stdout.write(line + f"{result.before} -> {result.after}")
        changed = sum(result.changed for result in results)
        errors = sum(bool(result.error) for result in results)
        self.stdout.write(f"Done: {total} checked, {changed} changed, {errors} could not be reached.")
