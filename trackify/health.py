"""Health for a load balancer and an orchestrator, and the metrics page.

- ``GET /healthz``: 200 while the process runs; touches nothing else (liveness).
- ``GET /readyz``: 200 only when the database, the cache and the broker answer; otherwise 503
  naming each failing part. Each check has a short timeout (``HEALTH_CHECK_TIMEOUT``, 1 s), so a
  dead Redis makes the answer fast, not a hung health check.
- ``GET /metrics``: Prometheus metrics (``trackify.metrics``); when ``METRICS_TOKEN`` is set,
  only with ``Authorization: Bearer <token>``.

``OpsEndpointsMiddleware`` answers these three first, before the host check, the TLS redirect,
sessions, CSRF and rate limits: a load balancer probes with the instance's IP as its Host and
over plain HTTP, and a probe must not be counted against anyone's rate limit.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from trackify import metrics
from trackify.logging import redact

OK = "ok"
NOT_CONFIGURED = "not configured"
_REDIS_SCHEMES = {"redis", "rediss"}
# Kombu's Redis transport keeps one list per priority step: "celery", "celery\x06\x163", ...
_PRIORITY_SEPARATOR = "\x06\x16"


def _timeout() -> float:
    return float(getattr(settings, "HEALTH_CHECK_TIMEOUT", 1.0))


def _error(exc: BaseException) -> str:
    text = redact(f"{type(exc).__name__}: {exc}")
    return f"error: {text[:200]}"


def _broker_url() -> str:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return ""
    return getattr(settings, "CELERY_BROKER_URL", "") or ""


def _redis_client(url: str):  # type: ignore[no-untyped-def]
    import redis

    seconds = _timeout()
    return redis.Redis.from_url(url, socket_connect_timeout=seconds, socket_timeout=seconds)


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return _error(exc)
    return OK


def check_cache() -> str:
    key = "trackify:readyz"
    try:
        cache.set(key, "1", timeout=30)
        if cache.get(key) != "1":
            return "error: the cache did not keep a value"
    except Exception as exc:
        return _error(exc)
    return OK


def check_broker() -> str:
    url = _broker_url()
    if not url:
        return NOT_CONFIGURED
    try:
        if urlsplit(url).scheme in _REDIS_SCHEMES:
            with _redis_client(url) as client:
                client.ping()
        else:
            from trackify.celery import app

            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=_timeout())
    except Exception as exc:
        return _error(exc)
    return OK


def queue_depth() -> tuple[str, int]:
    """The default task queue's name and how many messages wait in it (0 without a Redis broker,
    or when the broker cannot be read: the readiness check reports that)."""
    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", None) or "celery"
    url = _broker_url()
    if not url or urlsplit(url).scheme not in _REDIS_SCHEMES:
        return queue, 0
    try:
        with _redis_client(url) as client:
            keys = [queue, *(f"{queue}{_PRIORITY_SEPARATOR}{step}" for step in range(1, 10))]
            with client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.llen(key)
                return queue, sum(int(n) for n in pipe.execute())
    except Exception:
        return queue, 0


def _plain(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return _plain(JsonResponse({"status": "ok"}))


def readyz(request: HttpRequest) -> HttpResponse:
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    ready = all(value in (OK, NOT_CONFIGURED) for value in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return _plain(JsonResponse(body, status=200 if ready else 503))


def metrics_view(request: HttpRequest) -> HttpResponse:
    token = getattr(settings, "METRICS_TOKEN", None)
    if token:
        sent = request.headers.get("Authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            response = JsonResponse(
                {"code": "not_authenticated", "message": "A valid metrics token is required.", "details": {}},
                status=401,
            )
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return _plain(response)
    return _plain(HttpResponse(metrics.render(), content_type=metrics.CONTENT_TYPE))


ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
    "/metrics": metrics_view,
}


class OpsEndpointsMiddleware:
    """Answers /healthz, /readyz and /metrics (GET or HEAD) before any other middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = ENDPOINTS.get(request.path_info.rstrip("/") or "/")
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse(
                {"code": "method_not_allowed", "message": "Only GET is allowed here.", "details": {}}, status=405
            )
            response["Allow"] = "GET, HEAD"
            return _plain(response)
        return view(request)
