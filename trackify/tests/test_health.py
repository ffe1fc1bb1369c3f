"""/healthz, /readyz and /metrics: what a load balancer and a scraper see."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.test import Client, override_settings

from trackify import health

pytestmark = pytest.mark.django_db


@contextmanager
def closed_port() -> Iterator[int]:
    """A port on which nothing listens: held bound, never listening, so every connection to it is
    refused and nothing else on the machine can start listening on it meanwhile."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def redis_url() -> str:
    import os

    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"


def redis_at(url: str) -> dict:
    return {
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}},
        "CELERY_BROKER_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": False,
    }


def test_healthz_answers_without_the_database(client):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(health, "check_database", lambda: pytest.fail("liveness must not touch the database"))
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_probes_answer_whatever_the_host_and_over_plain_http():
    # A load balancer probes with the instance's IP as Host, over plain HTTP, with TLS redirect on.
    client = Client(HTTP_HOST="10.1.2.3")
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        # Anything else still meets the host check.
        assert client.get("/api/auth/me/").status_code == 400


def test_readyz_is_200_when_the_database_cache_and_broker_answer(client):
    with override_settings(**redis_at(redis_url())):
        response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}


def test_readyz_without_a_broker_says_so_and_is_ready(client):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True, CELERY_BROKER_URL=""):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "not configured"


def test_readyz_is_503_naming_the_cache_and_the_broker_when_redis_is_unreachable(client):
    with closed_port() as port:
        url = f"redis://:hunter2-very-secret@127.0.0.1:{port}/2"
        with override_settings(**redis_at(url)):
            response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("error: ")
    assert body["checks"]["broker"].startswith("error: ")
    assert "hunter2" not in response.content.decode()


def test_probes_refuse_other_methods(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert set(response.json()) == {"code", "message", "details"}


def test_metrics_are_open_unless_a_token_is_set(client):
    assert client.get("/metrics").status_code == 200
    with override_settings(METRICS_TOKEN="scrape-token-0123456789"):
        refused = client.get("/metrics")
        wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
        allowed = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789")
    assert refused.status_code == 401
    assert refused.json()["code"] == "not_authenticated"
    assert wrong.status_code == 401
    assert allowed.status_code == 200
    assert b"trackify_http_requests_total" in allowed.content


def test_readyz_answers_when_redis_accepts_connections_but_never_replies(client):
    """A hung Redis (a listener that reads nothing): the socket timeouts end each check."""
    import threading

    from django.conf import settings

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/2"
        cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        cache["OPTIONS"] = settings.REDIS_SOCKET_OPTIONS
        answers: list = []
        with override_settings(**{**redis_at(url), "CACHES": {"default": cache}}):
            probe = threading.Thread(target=lambda: answers.append(client.get("/readyz")), daemon=True)
            probe.start()
            probe.join(timeout=60)
    assert answers, "/readyz never answered"
    assert answers[0].status_code == 503
    checks = answers[0].json()["checks"]
    assert checks["cache"].startswith("error: ") and checks["broker"].startswith("error: ")
