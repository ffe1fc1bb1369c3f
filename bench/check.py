"""After the load: did every webhook that was sent land exactly once, in the right final state?

Reads what each webhook phase recorded (``<phase>.webhook.json``: the events sent and the HTTP
status of every delivery) and checks, in the database:

- every payment whose ``checkout.completed`` event was sent is ``succeeded`` and its invoice
  ``paid`` with ``amount_paid == total``, and was applied exactly once: its invoice's timeline
  holds exactly one ``paid`` row;
- each sent event is stored exactly once, and ``processed``;
- no other payment of the webhook merchant moved, and no event was stored that was not sent;
- the minimal ingest baseline's table holds each event it was sent exactly once.

Prints one JSON object: ``{"ok": bool, "summary": str, "problems": [str, ...]}``.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django


def main() -> None:
    out = Path(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from payments.models import InvoicePayment, PaymentWebhookEvent

    fixture = json.loads((out / "fixture.json").read_text())
    reserved = {e["payment_id"] for e in fixture["reserved"]["webhook_events"]}
    sent = _read_webhook_records(out)
    problems: list[str] = []
    total_deliveries = sum(sent.deliveries.values())
    if sent.deliveries.get(200, 0) != total_deliveries:
        problems.append(f"answers other than 200: { {k: v for k, v in sent.deliveries.items() if k != 200} }")

    webhook_config = fixture["webhook_url"].rstrip("/").rsplit("/", 1)[-1]
    merchant_payments = InvoicePayment.objects.filter(gateway_config_id=webhook_config).exclude(pk__in=reserved)
    paid = _check_payments(merchant_payments, sent, problems)
    stored = PaymentWebhookEvent.objects.filter(gateway_name="sandbox", gateway_config_id=webhook_config).exclude(
        payment_id__in=reserved
    )
    events = _check_events(stored, sent, problems)
    _check_minimal_ingest(out, fixture, problems)

    payment_ids = set(sent.payments.values())
    redeliveries = total_deliveries - len(sent.payments)
    summary = (
        f"{len(payment_ids)} payments sent a checkout.completed event ({total_deliveries} answered deliveries, "
        f"{redeliveries} of them redeliveries): {paid['found'] - paid['wrong_state']} succeeded with their invoice "
        f"{'paid' if not paid['unpaid'] else 'NOT all paid'} and applied {paid['once']} times once, "
        f"{paid['twice']} twice; {events['stored_sent']} events stored "
        f"{'once each' if not events['duplicates'] else 'WITH DUPLICATES'}, {events['missing']} lost, "
        f"{paid['moved']} other payments moved; "
        f"{len(sent.in_flight)} cut off by the end of a phase ({events['cut_off_arrived']} arrived whole, "
        f"{len(sent.in_flight) - events['cut_off_arrived'] - events['half_done']} never arrived, "
        f"{events['half_done']} half done)"
    )
    print(json.dumps({"ok": not problems, "summary": summary, "problems": problems}))


@dataclass
class Sent:
    """What the webhook phases recorded: each event sent (to its payment), each cut off by the
    end of a phase, and how many deliveries were answered with each HTTP status."""

    payments: dict[str, str] = field(default_factory=dict)
    in_flight: dict[str, str] = field(default_factory=dict)
    deliveries: Counter[int] = field(default_factory=Counter)


def _read_webhook_records(out: Path) -> Sent:
    sent = Sent()
    for record_path in sorted(out.glob("*.webhook.json")):
        record = json.loads(record_path.read_text())
        for event in record["sent"]:
            sent.payments[event["event_id"]] = event["payment_id"]
        for cut in record["in_flight"]:
            sent.in_flight[cut["event_id"]] = cut["payment_id"]
        for statuses in record["statuses"].values():
            sent.deliveries.update(statuses)
    return sent


def _check_payments(merchant_payments: Any, sent: Sent, problems: list[str]) -> dict[str, int]:
    from django.db.models import F

    from invoices.models import InvoiceStatus
    from payments.state import PaymentStatus

    payment_ids = set(sent.payments.values())
    wrong_state = (
        merchant_payments.filter(pk__in=payment_ids).exclude(status=PaymentStatus.SUCCEEDED).count()
    )
    if wrong_state:
        problems.append(f"{wrong_state} payments whose event was sent are not succeeded")
    unpaid = (
        merchant_payments.filter(pk__in=payment_ids)
        .exclude(invoice__status=InvoiceStatus.PAID, invoice__amount_paid=F("invoice__total"))
        .count()
    )
    if unpaid:
        problems.append(f"{unpaid} invoices of those payments are not paid in full")
    moved = (
        merchant_payments.exclude(pk__in=payment_ids | set(sent.in_flight.values()))
        .exclude(status=PaymentStatus.PENDING)
        .count()
    )
    if moved:
        problems.append(f"{moved} payments whose event was never sent changed status")
    found = merchant_payments.filter(pk__in=payment_ids).count()
    if found != len(payment_ids):
        problems.append(f"{len(payment_ids) - found} payments whose event was sent are missing")
    once, twice = _applied_once(merchant_payments.filter(pk__in=payment_ids))
    if once != len(payment_ids) or twice:
        problems.append(f"timelines: {once} invoices paid once, {twice} paid more than once, of {len(payment_ids)}")
    return {"wrong_state": wrong_state, "unpaid": unpaid, "moved": moved, "found": found, "once": once, "twice": twice}


def _applied_once(payments: Any) -> tuple[int, int]:
    """How many of these payments' invoices have exactly one ``paid`` row on their timeline, and
    how many more than one (a payment applied twice would write two)."""
    from django.db.models import Count

    from activity.models import ActivityEvent, ActivityKind

    counts = (
        ActivityEvent.objects.filter(kind=ActivityKind.PAID, invoice_id__in=payments.values("invoice_id"))
        .values("invoice_id")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    counted = list(counts)
    return sum(1 for n in counted if n == 1), sum(1 for n in counted if n > 1)


def _check_events(stored: Any, sent: Sent, problems: list[str]) -> dict[str, int]:
    from django.db.models import Count

    from payments.models import InvoicePayment, WebhookEventStatus
    from payments.state import PaymentStatus

    event_ids = set(sent.payments)
    duplicates = stored.values("event_id").annotate(n=Count("id")).filter(n__gt=1).count()
    if duplicates:
        problems.append(f"{duplicates} events stored more than once")
    stored_ids = set(stored.values_list("event_id", flat=True))
    missing = len(event_ids - stored_ids)
    if missing:
        problems.append(f"{missing} sent events were not stored (lost)")
    extra = len(stored_ids - event_ids - set(sent.in_flight))
    if extra:
        problems.append(f"{extra} stored events were never sent")
    # An event cut off by the end of a phase either arrived (stored, processed, payment
    # succeeded) or did not (nothing stored, payment still pending): never half of it.
    half_done = 0
    for event_id, payment_id in sent.in_flight.items():
        arrived = event_id in stored_ids
        status = InvoicePayment.objects.get(pk=payment_id).status
        if status != (PaymentStatus.SUCCEEDED if arrived else PaymentStatus.PENDING):
            half_done += 1
    if half_done:
        problems.append(f"{half_done} events cut off at the end of a phase left their payment half updated")
    not_processed = stored.exclude(status=WebhookEventStatus.PROCESSED).count()
    if not_processed:
        problems.append(f"{not_processed} stored events are not processed")
    return {
        "duplicates": duplicates,
        "missing": missing,
        "half_done": half_done,
        "stored_sent": len(stored_ids & event_ids),
        "cut_off_arrived": len(stored_ids & set(sent.in_flight)),
    }


def _check_minimal_ingest(out: Path, fixture: dict[str, Any], problems: list[str]) -> None:
    from django.db import connection

    from bench.baselines import INGEST_TABLE

    minimal_sent: set[str] = set()
    minimal_cut: set[str] = set()
    for record_path in sorted(out.glob("*.minimal.json")):
        record = json.loads(record_path.read_text())
        minimal_sent.update(sent["event_id"] for sent in record["sent"])
        minimal_cut.update(cut["event_id"] for cut in record["in_flight"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT event_id FROM {INGEST_TABLE}")
        minimal_rows = [row[0] for row in cursor.fetchall()]
    # The query count ran one reserved event through the minimal ingest too.
    reserved_events = {e["event_id"] for e in fixture["reserved"]["webhook_events"]}
    minimal_stored = set(minimal_rows) - reserved_events
    if len(minimal_rows) != len(set(minimal_rows)) or not (minimal_sent <= minimal_stored <= minimal_sent | minimal_cut):
        problems.append(f"minimal ingest table: {len(minimal_stored)} rows for {len(minimal_sent)} events answered")


if __name__ == "__main__":
    main()
