"""Prometheus metrics: requests and webhook deliveries counted, and counted across processes."""

from __future__ import annotations

import re
import sys

import pytest
import requests
from prometheus_client import REGISTRY

from accounts.factories import UserFactory
from invoices.factories import InvoiceFactory
from payments.factories import sandbox_config
from payments.models import InvoicePayment
from payments.tests.reliability.live_process import serving
from sandbox import provider
from sandbox.models import SandboxSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(db):  # type: ignore[no-untyped-def]
    return sandbox_config(owner=UserFactory())


@pytest.fixture
def invoice(gateway):  # type: ignore[no-untyped-def]
    return InvoiceFactory(owner=gateway.owner, items=[("Design work", 4, "25.00")])


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scraped(text: str, name: str, **labels: str) -> float:
    """One sample's value from a /metrics page (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{re.escape(name)}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match.group(1).split(","))) == wanted:
            return float(match.group(2))
    return 0.0


def test_each_request_is_counted_by_route_method_and_status(client):
    before = sample("trackify_http_requests_total", method="GET", route="api/auth/me/", status="401")
    for _ in range(3):
        assert client.get("/api/auth/me/").status_code == 401
    after = sample("trackify_http_requests_total", method="GET", route="api/auth/me/", status="401")
    assert after - before == 3
    page = client.get("/metrics").content.decode()
    assert scraped(page, "trackify_http_requests_total", method="GET", route="api/auth/me/", status="401") == after
    assert "trackify_task_queue_depth" in page


def test_made_up_methods_do_not_become_labels(client):
    client.generic("BREW", "/api/auth/me/")
    assert sample("trackify_http_requests_total", method="BREW", route="api/auth/me/", status="405") == 0


def test_webhook_deliveries_are_counted_stored_duplicate_and_rejected(client, gateway, invoice):
    """A delivery stored, the same one again, and one with a bad signature."""
    stored = ("trackify_webhook_events_received_total", {"gateway": "sandbox", "outcome": "stored"})
    duplicate = ("trackify_webhook_events_received_total", {"gateway": "sandbox", "outcome": "duplicate"})
    rejected = ("trackify_webhook_events_received_total", {"gateway": "sandbox", "outcome": "rejected"})
    before = [sample(name, **labels) for name, labels in (stored, duplicate, rejected)]

    event = provider.event("checkout.completed", _open_session(client, invoice))
    body = provider.encode(event)
    signature = provider.sign(body, gateway.get_credentials()["webhook_secret"])
    for _ in range(2):
        answer = client.post(
            gateway.webhook_path, data=body, content_type="application/json", HTTP_SANDBOX_SIGNATURE=signature
        )
        assert answer.status_code == 200, answer.content
    bad = client.post(
        gateway.webhook_path, data=body, content_type="application/json", HTTP_SANDBOX_SIGNATURE="t=1,v1=0"
    )
    assert bad.status_code == 400

    after = [sample(name, **labels) for name, labels in (stored, duplicate, rejected)]
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1, 1]


def test_an_unknown_gateway_in_the_url_is_counted_as_unknown(client):
    before = sample("trackify_webhook_events_received_total", gateway="unknown", outcome="rejected")
    client.post("/api/payment/webhook/no-such-gateway-xyz/", data=b"{}", content_type="application/json")
    assert sample("trackify_webhook_events_received_total", gateway="unknown", outcome="rejected") == before + 1
    assert sample("trackify_webhook_events_received_total", gateway="no-such-gateway-xyz", outcome="rejected") == 0


def _open_session(client, invoice):  # type: ignore[no-untyped-def]
    answer = client.post(
        "/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    payment_id = answer.json()["payment_id"]
    return SandboxSession.objects.get(pk=InvoicePayment.objects.get(pk=payment_id).gateway_session_id)


def gunicorn_command(workers: int) -> list[str]:
    """Gunicorn with this repository's gunicorn.conf.py (child_exit), each worker answering one
    request before it is replaced: consecutive requests meet different processes."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "trackify.wsgi:application",
        "-c",
        "gunicorn.conf.py",
        "--bind",
        "127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--max-requests",
        "1",
        "--preload",
        "--access-logfile",
        "-",
        "--access-logformat",
        "pid=%(p)s %(r)s %(s)s",
    ]


def test_counts_add_up_across_gunicorn_workers(tmp_path):
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    hits = 12
    with serving(tmp_path, gunicorn_command(workers=3), PROMETHEUS_MULTIPROC_DIR=str(metrics_dir)) as server:
        for _ in range(hits):
            assert requests.get(f"{server.url}/healthz", timeout=30).status_code == 200
        pages = [requests.get(f"{server.url}/metrics", timeout=30) for _ in range(2)]
        served_by = set(re.findall(r"pid=<?(\d+)>? GET /healthz", server.output()))
    assert len(served_by) > 3, "too few worker processes answered: the test shows nothing"
    for page in pages:
        assert page.status_code == 200, page.text
        assert scraped(page.text, "trackify_http_requests_total", method="GET", route="healthz", status="200") == hits
    # The second scrape, answered by another process, counts the first.
    assert scraped(pages[1].text, "trackify_http_requests_total", method="GET", route="metrics", status="200") == 1
