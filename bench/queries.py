"""SQL queries per request, counted in-process with ``CaptureQueriesContext``.

Each path is counted twice with different amounts of data behind it (more rows on the page,
more payments on the invoice, a new event and a redelivery...), so a count that grows with
the data shows up as two different numbers. Uses the invoices and events ``bench.seed`` kept
out of the load. Prints one JSON object: ``{path: [[label, queries, status], ...]}``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.signing import minimal_signature, sandbox_signature

    fixture = json.loads((Path(sys.argv[1]) / "fixture.json").read_text())
    reserved = fixture["reserved"]
    client = Client(HTTP_HOST="127.0.0.1")
    owner = {"HTTP_AUTHORIZATION": f"Token {fixture['token']}"}

    def count(method: str, url: str, **kwargs) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, **kwargs)
        return len(queries), response.status_code

    def webhook(event: dict[str, str]) -> tuple[int, int]:
        body = event["body"].encode()
        headers = {"HTTP_SANDBOX_SIGNATURE": sandbox_signature(body, fixture["webhook_secret"])}
        return count("post", fixture["webhook_url"], data=body, content_type="application/json", **headers)

    def ingest(event: dict[str, str]) -> tuple[int, int]:
        body = event["body"].encode()
        return count("post", "/bench/ingest/", data=body, content_type="application/json", HTTP_X_BENCH_SIGNATURE=minimal_signature(body))

    payable = reserved["payable_invoices"]
    history = reserved["history_invoices"]
    events = reserved["webhook_events"]
    results = {
        "bare view": [("", *count("get", "/bench/bare/"))],
        "minimal ingest": [("new event", *ingest(events[0])), ("redelivery", *ingest(events[0]))],
        "webhook ingest": [
            ("new event", *webhook(events[1])),
            ("another new event", *webhook(events[2])),
            ("redelivery", *webhook(events[1])),
        ],
        "public invoice": [
            ("2 items", *count("get", f"/api/payment/public/invoice/{payable[0]}/")),
            ("2 items, 3 payments", *count("get", f"/api/payment/public/invoice/{reserved['history_public'][0]}/")),
        ],
        "create-session": [
            ("new checkout", *count("post", "/api/payment/create-session/", data={"invoice_id": payable[1]},
                                    content_type="application/json")),
            ("open one reused", *count("post", "/api/payment/create-session/", data={"invoice_id": payable[1]},
                                       content_type="application/json")),
        ],
        "invoice list": [
            ("page of 20", *count("get", "/api/invoices/", **owner)),
            ("page of 100", *count("get", "/api/invoices/?page_size=100", **owner)),
        ],
        "payment list": [
            ("1 payment", *count("get", f"/api/payment/invoice/{reserved['payable_ids'][1]}/payments/", **owner)),
            ("3 payments, 1 refund", *count("get", f"/api/payment/invoice/{history[0]}/payments/", **owner)),
        ],
    }
    print(json.dumps({"queries": results, "ms": _timings(client, fixture, owner)}))


def _timings(client, fixture: dict, owner: dict) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Milliseconds per request in-process (one thread, no HTTP, no load generator): what each
    path costs Django itself, the best of three rounds."""
    import time

    from bench.signing import minimal_signature, sandbox_signature

    reserved = fixture["reserved"]
    events = reserved["webhook_events"][3:]  # not yet delivered (the counts above used 0-2)
    invoice = reserved["payable_invoices"][2]
    history = reserved["history_invoices"][1]

    def webhook(event: dict[str, str]) -> None:
        body = event["body"].encode()
        client.post(fixture["webhook_url"], data=body, content_type="application/json",
                    HTTP_SANDBOX_SIGNATURE=sandbox_signature(body, fixture["webhook_secret"]))

    def minimal(event: dict[str, str]) -> None:
        body = event["body"].encode()
        client.post("/bench/ingest/", data=body, content_type="application/json",
                    HTTP_X_BENCH_SIGNATURE=minimal_signature(body))

    def best(call, items: list) -> float:  # type: ignore[no-untyped-def]
        rounds = []
        for chunk in (items[i::3] for i in range(3)):
            started = time.perf_counter()
            for item in chunk:
                call(item)
            rounds.append((time.perf_counter() - started) * 1000 / max(len(chunk), 1))
        return round(min(rounds), 2)

    many = list(range(60))
    return {
        "bare view": best(lambda _: client.get("/bench/bare/"), many),
        "public invoice": best(lambda _: client.get(f"/api/payment/public/invoice/{invoice}/"), many),
        "minimal ingest": best(minimal, events),
        "webhook ingest": best(webhook, events),
        "invoice list": best(lambda _: client.get("/api/invoices/", **owner), many[:30]),
        "payment list": best(lambda _: client.get(f"/api/payment/invoice/{history}/payments/", **owner), many[:30]),
    }


if __name__ == "__main__":
    main()
