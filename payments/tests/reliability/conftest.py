"""Fixtures and helpers for the reliability tests: signed sandbox webhooks, threads, markers.

Tests marked ``postgres`` run threads against one database: only PostgreSQL's row locks can
show a race (SQLite serialises every writer), so on any other database they are skipped with a
reason that says so, and CI runs them on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from payments.models import PaymentGatewayConfig
from sandbox import provider
from sandbox.models import SandboxSession

POSTGRES_SKIP_REASON = (
    "NOT RUN ON THIS DATABASE: this concurrency test needs PostgreSQL (SQLite serialises writers "
    "and cannot show a race). Run it with DATABASE_URL=postgres://postgres@127.0.0.1:5432/trackify; CI does."
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "redis: starts a redis-server of its own (the program must be installed)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip(POSTGRES_SKIP_REASON)


def webhook_headers(body: bytes, config: PaymentGatewayConfig) -> dict[str, str]:
    secret = config.get_credentials()["webhook_secret"]
    return {"HTTP_SANDBOX_SIGNATURE": provider.sign(body, secret)}


def deliver(client: Client, config: PaymentGatewayConfig, payload: dict[str, Any]) -> Any:
    """POST one signed sandbox event to the config's own webhook URL, as the provider does."""
    body = provider.encode(payload)
    return client.post(config.webhook_path, data=body, content_type="application/json", **webhook_headers(body, config))


def session_of(payment: Any) -> SandboxSession:
    return SandboxSession.objects.get(pk=payment.gateway_session_id)


def completed_event(payment: Any) -> dict[str, Any]:
    """The provider's "checkout.completed" (paid) event for a payment's open sandbox checkout."""
    (event,) = provider.complete(session_of(payment), "pay")
    return event


def gateway_refund(payment: Any, amount: str, key: str) -> dict[str, Any]:
    """A refund made at the provider (its dashboard); returns its "refund.updated" event."""
    from decimal import Decimal

    provider.refund(session_id=payment.gateway_session_id, amount=Decimal(amount), idempotency_key=key, metadata={})
    return provider.event("refund.updated", session_of(payment))


def run_in_threads(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run every call in its own thread, released together; each thread uses and closes its own
    database connection. Returns each call's result (or the exception it raised), in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        close_old_connections()
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results
