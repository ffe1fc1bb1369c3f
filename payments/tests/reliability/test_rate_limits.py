"""Abuse limits on the public endpoints: past PUBLIC_RATE_LIMIT a client IP gets 429 with the
contract's error body, counted in Django's cache, which every worker process and app server
shares: Redis when REDIS_URL is set, otherwise the database cache.

The limits here are per day: the requests of a test always fall in one window, however slow the
machine. A limit per minute lets the first requests leave the window while the test still
sends, and lets more through than the limit says."""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from django.core.cache import caches
from django.test import Client

from payments.services import PaymentService
from payments.tests.background.processes import own_redis
from payments.tests.reliability.live_process import gunicorn, manage, serving

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture
def limited(settings):  # type: ignore[no-untyped-def]
    settings.PUBLIC_RATE_LIMIT = f"{LIMIT}/day"
    return settings


@pytest.fixture
def public_calls(invoice):  # type: ignore[no-untyped-def]
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    return {
        "public invoice": lambda c, **kw: c.get(f"/api/payment/public/invoice/{invoice.public_id}/", **kw),
        "status": lambda c, **kw: c.get(f"/api/payment/status/{payment.pk}/", **kw),
        "create-session": lambda c, **kw: c.post(
            "/api/payment/create-session/",
            {"invoice_id": str(invoice.public_id)},
            content_type="application/json",
            **kw,
        ),
    }


def _assert_rate_limited(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == "rate_limited"
    assert body["details"]["retry_after_seconds"] > 0
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("endpoint", ["public invoice", "status", "create-session"])
def test_a_public_endpoint_answers_429_past_the_limit(limited, public_calls, endpoint):
    call = public_calls[endpoint]
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(LIMIT):
        assert call(client).status_code in (200, 201)
    _assert_rate_limited(call(client))
    # Another client IP has its own count.
    assert call(Client(REMOTE_ADDR="203.0.113.8")).status_code in (200, 201)


def test_the_public_endpoints_share_one_count_per_ip(limited, public_calls):
    client = Client(REMOTE_ADDR="198.51.100.1")
    calls = list(public_calls.values())
    for call in calls:
        assert call(client).status_code in (200, 201)
    _assert_rate_limited(calls[0](client))


def test_a_forged_forwarded_for_header_does_not_reset_the_count(limited, public_calls):
    """With no trusted proxy configured (NUM_PROXIES=0) the count is per connecting address."""
    call = public_calls["public invoice"]
    client = Client(REMOTE_ADDR="198.51.100.2")
    responses = [call(client, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(LIMIT + 1)]
    assert [r.status_code for r in responses[:LIMIT]] == [200] * LIMIT
    _assert_rate_limited(responses[-1])


def test_behind_one_trusted_proxy_the_address_it_saw_is_counted(limited, public_calls):
    limited.REST_FRAMEWORK = {**limited.REST_FRAMEWORK, "NUM_PROXIES": 1}
    call = public_calls["public invoice"]
    proxy = Client(REMOTE_ADDR="10.0.0.1")  # every request arrives from the load balancer
    # The proxy appends the address it saw; anything before it is the client's own claim.
    for n in range(LIMIT):
        assert call(proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.50").status_code == 200
    _assert_rate_limited(call(proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.50"))
    assert call(proxy, HTTP_X_FORWARDED_FOR="203.0.113.51").status_code == 200  # another client


def test_with_the_limit_off_nothing_is_limited(settings, public_calls):
    settings.PUBLIC_RATE_LIMIT = "off"
    client = Client(REMOTE_ADDR="198.51.100.3")
    assert all(public_calls["public invoice"](client).status_code == 200 for _ in range(LIMIT * 5))


@pytest.fixture
def redis_url(tmp_path):  # type: ignore[no-untyped-def]
    """A redis-server of this test's own: no Redis database shared with another run."""
    with own_redis(tmp_path) as url:
        yield url


@pytest.mark.redis
def test_counts_live_in_redis_so_app_servers_share_them(limited, public_calls, redis_url):
    import redis

    prefix = f"reliability-{uuid.uuid4().hex}"
    limited.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    call = public_calls["public invoice"]
    try:
        for _ in range(LIMIT - 1):
            assert call(Client(REMOTE_ADDR="192.0.2.10")).status_code == 200
        keys = redis.Redis.from_url(redis_url).keys(f"{prefix}:*throttle_public*")
        assert len(keys) == 1  # the count is in Redis, where every app server reads it
        # A second app server: a fresh cache connection with nothing in process memory.
        limited.CACHES = {"default": {**limited.CACHES["default"]}}
        caches["default"].close()
        assert call(Client(REMOTE_ADDR="192.0.2.10")).status_code == 200
        _assert_rate_limited(call(Client(REMOTE_ADDR="192.0.2.10")))
    finally:
        caches["default"].close()


def test_gunicorn_workers_share_one_count_in_the_default_database_cache(tmp_path):
    """The default deployment (no REDIS_URL): worker processes on one SQLite file. Counted in
    each process's memory, every worker let its own 20 through. Each worker here answers one
    request and is replaced, so the 60 requests meet many processes whatever the OS's choice of
    which waiting worker accepts a connection. The limit is per day, so the 60 requests fall in
    one window however long they take."""
    with serving(tmp_path, gunicorn(workers=3, max_requests=1), PUBLIC_RATE_LIMIT="20/day") as server:
        link = re.search(r"public payment link:\s+(\S+)", manage(server.env, "seed_demo")).group(1)
        invoice_id = link.rstrip("/").rsplit("/", 1)[-1]
        url = f"{server.url}/api/payment/public/invoice/{invoice_id}/"

        answers = [requests.get(url, timeout=30) for _ in range(60)]  # a new connection each

        served_by = set(re.findall(r"pid=<?(\d+)>? GET /api/payment/public/invoice/", server.output()))
    assert len(served_by) > 20, "too few worker processes answered: the test shows nothing"
    assert [answer.status_code for answer in answers].count(200) == 20
    assert [answer.status_code for answer in answers].count(429) == 40
    assert answers[-1].json()["code"] == "rate_limited"
    assert int(answers[-1].headers["Retry-After"]) > 0
