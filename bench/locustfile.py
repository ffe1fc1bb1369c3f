"""Load for ``make bench``: one user class per measured path; ``bench.run`` picks one per phase.

Read from the environment: ``BENCH_FIXTURE`` (written by ``bench.seed``), ``BENCH_OUT`` (where a
webhook phase records what it sent), ``BENCH_RATE`` (requests per second per user, for the
runs at a fixed rate; unset = as fast as the server answers) and ``BENCH_REDELIVER`` (share of
webhook deliveries that repeat an event already sent, 0.2 by default).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

from locust import FastHttpUser, constant, constant_throughput, events, task
from locust.exception import StopUser

from bench.signing import MINIMAL_HEADER, SANDBOX_HEADER, minimal_signature, sandbox_signature

FIXTURE = json.loads(Path(os.environ["BENCH_FIXTURE"]).read_text())
OUT = Path(os.environ.get("BENCH_OUT", "."))
RATE = float(os.environ.get("BENCH_RATE") or 0)
REDELIVER = float(os.environ.get("BENCH_REDELIVER") or 0.2)
PHASE = os.environ.get("BENCH_PHASE", "phase")

_rng = random.Random(7)


def _wait():  # type: ignore[no-untyped-def]
    return constant_throughput(RATE) if RATE else constant(0)


class _Deliveries:
    """Fresh events in order, each at most once; a share of deliveries repeat a sent one."""

    def __init__(self, fresh: Iterator[dict[str, str]]) -> None:
        self.fresh = fresh
        self.taken = 0  # fresh events handed out, answered or not
        self.sent: list[dict[str, str]] = []  # fresh events the server answered
        self.in_flight: dict[str, dict[str, str]] = {}  # fresh events sent, no answer yet
        self.statuses: dict[str, list[int]] = {}
        self.acked: dict[str, float] = {}  # fresh events: when their first 200 arrived (Unix time)
        self.exhausted = False

    def next(self) -> tuple[dict[str, str], bool] | None:
        if self.sent and _rng.random() < REDELIVER:
            return _rng.choice(self.sent), True
        event = next(self.fresh, None)
        if event is None:
            self.exhausted = True
            return None
        self.taken += 1
        self.in_flight[event["event_id"]] = event
        return event, False

    def record(self, event: dict[str, str], status: int) -> None:
        if self.in_flight.pop(event["event_id"], None) is not None:
            self.sent.append(event)
            if status == 200:
                self.acked[event["event_id"]] = time.time()
        self.statuses.setdefault(event["event_id"], []).append(status)


def _minimal_events() -> Iterator[dict[str, str]]:
    """Bodies shaped like the real events (same size), each with an id of its own: the
    minimal ingest needs no payments behind them, so they never run out."""
    template = json.loads(FIXTURE["webhook_events"][0]["body"])
    for n in itertools.count():
        event_id = f"evt_min_{PHASE}_{n}"
        body = json.dumps({**template, "id": event_id}, separators=(",", ":"))
        yield {"payment_id": "", "event_id": event_id, "body": body}


WEBHOOKS = _Deliveries(iter(FIXTURE["webhook_events"][int(os.environ.get("BENCH_WEBHOOK_OFFSET") or 0):]))
MINIMAL = _Deliveries(_minimal_events())


@events.test_stop.add_listener
def _write_sent(environment, **kwargs) -> None:  # type: ignore[no-untyped-def]
    for name, deliveries in (("webhook", WEBHOOKS), ("minimal", MINIMAL)):
        if deliveries.statuses:
            record = {
                "taken": deliveries.taken,
                "sent": [{"payment_id": e["payment_id"], "event_id": e["event_id"]} for e in deliveries.sent],
                # Cut off by the end of the phase: the server may or may not have received them.
                "in_flight": [{"payment_id": e["payment_id"], "event_id": e["event_id"]} for e in deliveries.in_flight.values()],
                "statuses": deliveries.statuses,
                "acked": deliveries.acked,
                "exhausted": deliveries.exhausted,
            }
            (OUT / f"{PHASE}.{name}.json").write_text(json.dumps(record))


class BareView(FastHttpUser):
    """Django's floor: a JsonResponse behind the full middleware stack."""

    wait_time = _wait()

    @task
    def bare(self) -> None:
        self.client.get("/bench/bare/", name="bare view")


class MinimalIngest(FastHttpUser):
    """The floor of a webhook: HMAC check and one INSERT ... ON CONFLICT DO NOTHING."""

    wait_time = _wait()

    @task
    def ingest(self) -> None:
        picked = MINIMAL.next()
        if picked is None:
            raise StopUser()
        event, _ = picked
        body = event["body"].encode()
        signature = minimal_signature(body)
        with self.client.post(
            "/bench/ingest/", data=body, headers={MINIMAL_HEADER: signature, "Content-Type": "application/json"},
            name="minimal ingest", catch_response=True,
        ) as response:
            MINIMAL.record(event, response.status_code)
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class WebhookIngest(FastHttpUser):
    """Correctly signed sandbox ``checkout.completed`` events, each for its own pending payment."""

    wait_time = _wait()

    @task
    def deliver(self) -> None:
        picked = WEBHOOKS.next()
        if picked is None:
            raise StopUser()
        event, _ = picked
        body = event["body"].encode()
        headers = {SANDBOX_HEADER: sandbox_signature(body, FIXTURE["webhook_secret"]), "Content-Type": "application/json"}
        with self.client.post(
            FIXTURE["webhook_url"], data=body, headers=headers, name="webhook ingest", catch_response=True
        ) as response:
            WEBHOOKS.record(event, response.status_code)
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")


class PublicInvoice(FastHttpUser):
    """The client's payment page data, for any of the owner's 10,000 invoices (by the link's id)."""

    wait_time = _wait()

    @task
    def public_invoice(self) -> None:
        invoice_id = _rng.choice(FIXTURE["owner_invoices"])
        self.client.get(f"/api/payment/public/invoice/{invoice_id}/", name="public invoice")


_payable = itertools.cycle(FIXTURE["payable_invoices"])


class CreateSession(FastHttpUser):
    """Open a sandbox checkout, each call for the next invoice (a repeat would reuse the open one)."""

    wait_time = _wait()

    @task
    def create_session(self) -> None:
        with self.client.post(
            "/api/payment/create-session/", json={"invoice_id": next(_payable)}, name="create-session",
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")


class _Owner(FastHttpUser):
    abstract = True
    wait_time = _wait()

    def on_start(self) -> None:
        self.auth = {"Authorization": f"Token {FIXTURE['token']}"}


class InvoiceList(_Owner):
    """The owner's first page of invoices (20 of 10,000, with their items and the count)."""

    @task
    def invoice_list(self) -> None:
        self.client.get("/api/invoices/", headers=self.auth, name="invoice list")


class PaymentList(_Owner):
    """The payments of one invoice (three, one of them refunded in part)."""

    @task
    def payment_list(self) -> None:
        invoice_id = _rng.choice(FIXTURE["history_invoices"])
        self.client.get(f"/api/payment/invoice/{invoice_id}/payments/", headers=self.auth, name="payment list")
