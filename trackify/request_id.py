"""A request id on every log line, every response, and every task the request enqueued.

``RequestIdMiddleware`` takes the ``X-Request-ID`` header when it is a short, safe token (a load
balancer or the gateway's own delivery id), or makes one; it sends it back on the response, and
holds it in a context variable that ``RequestIdFilter`` writes onto every log record. Celery's
signals (``trackify.celery_signals``) carry the same id into the tasks the request enqueues.

The middleware also times each request for the metrics (route, method, status) and, when
``LOG_REQUESTS`` is on (``make serve``), writes one log line per request.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from trackify import metrics

HEADER = "X-Request-ID"
NO_REQUEST = "-"
# Letters, digits and - _ . : only, at most 64: anything else could forge a log line or a label.
_SAFE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
# A metric label takes one of these methods, so a made-up method cannot add time series.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

current: contextvars.ContextVar[str | None] = contextvars.ContextVar("trackify_request_id", default=None)
logger = logging.getLogger("trackify.requests")


def get() -> str | None:
    """The id of the request (or task) this code runs for, if any."""
    return current.get()


def new_id() -> str:
    return uuid.uuid4().hex


def accepted(value: str | None) -> str | None:
    """``value`` when it is a usable request id, else None."""
    if value and _SAFE.fullmatch(value):
        return value
    return None


class RequestIdFilter(logging.Filter):
    """Sets ``record.request_id`` (``-`` outside any request or task); never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get() or NO_REQUEST
        return True


def _restore(token: contextvars.Token[str | None]) -> None:
    try:
        current.reset(token)
    except ValueError:  # closed in another context (a server's own thread): nothing to restore
        pass


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.route or match.view_name or "unmatched"


class RequestIdMiddleware:
    """First in MIDDLEWARE: every response, the health checks' too, carries the request id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted(request.headers.get(HEADER)) or new_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        except BaseException:
            _restore(token)
            raise
        seconds = time.perf_counter() - started
        response[HEADER] = request_id
        self._record(request, response.status_code, seconds)
        # Django logs an error response ("Not Found: ...") after the middleware returned: the id
        # stays current until the response is closed, then the one before it (if any) is back.
        response._resource_closers.append(lambda: _restore(token))
        return response

    @staticmethod
    def _record(request: HttpRequest, status: int, seconds: float) -> None:
        route = _route(request)
        if route == "unmatched" and request.path_info.rstrip("/") in ("/healthz", "/readyz", "/metrics"):
            route = request.path_info.rstrip("/").lstrip("/")
        method = request.method if request.method in _METHODS else "other"
        metrics.observe_request(method=method, route=route, status=status, seconds=seconds)
        if getattr(settings, "LOG_REQUESTS", False):
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={"status": status, "duration_ms": round(seconds * 1000, 1), "route": route},
            )
