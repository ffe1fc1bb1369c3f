"""Prometheus metrics, counted across every process that serves Trackify.

With ``PROMETHEUS_MULTIPROC_DIR`` set (``make serve``), every gunicorn worker and every Celery
worker process writes its samples to files in that directory, and ``GET /metrics`` adds them up
(the client's multi-process mode): a count is the total whichever worker answers the scrape.
Without it (the demo, most tests), the metrics live in this process's own registry.

Callers use the helpers below (``webhook_received``, ``webhook_processed``, ``observe_task``...)
so label names and the allowed outcomes live in one place. The queue's depth is not a sample any
process writes: it is read from the broker at scrape time (``QueueDepthCollector``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import REGISTRY, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# The outcomes a label may take: anything else is a programming error, refused before it could
# grow a new time series per mistake.
RECEIVED_OUTCOMES = frozenset({"stored", "duplicate", "rejected"})
PROCESSED_OUTCOMES = frozenset({"processed", "ignored", "flagged", "waiting", "failed"})

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_WAIT_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

HTTP_REQUESTS = Counter(
    "trackify_http_requests_total",
    "HTTP requests answered, by method, route and status.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "trackify_http_request_duration_seconds",
    "Time from a request's arrival to its response, by method and route.",
    ["method", "route"],
    buckets=_LATENCY_BUCKETS,
)
WEBHOOKS_RECEIVED = Counter(
    "trackify_webhook_events_received_total",
    "Webhook deliveries answered, by gateway and outcome (stored, duplicate, rejected).",
    ["gateway", "outcome"],
)
WEBHOOKS_PROCESSED = Counter(
    "trackify_webhook_events_processed_total",
    "Webhook events applied, by gateway and outcome (processed, ignored, flagged, waiting, failed).",
    ["gateway", "outcome"],
)
TASK_LATENCY = Histogram(
    "trackify_task_duration_seconds",
    "Time a background task ran, by task and final state.",
    ["task", "state"],
    buckets=_LATENCY_BUCKETS,
)
TASK_QUEUE_WAIT = Histogram(
    "trackify_task_queue_wait_seconds",
    "Time from a task's publication to a worker starting it, by task.",
    ["task"],
    buckets=_WAIT_BUCKETS,
)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def observe_request(*, method: str, route: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    HTTP_LATENCY.labels(method=method, route=route).observe(seconds)


def webhook_received(gateway: str, outcome: str) -> None:
    """One webhook delivery answered: ``stored`` (new), ``duplicate`` or ``rejected``."""
    if outcome not in RECEIVED_OUTCOMES:
        raise ValueError(f"Unknown webhook received outcome {outcome!r}")
    WEBHOOKS_RECEIVED.labels(gateway=gateway, outcome=outcome).inc()


def webhook_processed(gateway: str, outcome: str) -> None:
    """One stored event applied: ``processed``, ``ignored``, ``flagged``, ``waiting`` or ``failed``."""
    if outcome not in PROCESSED_OUTCOMES:
        raise ValueError(f"Unknown webhook processed outcome {outcome!r}")
    WEBHOOKS_PROCESSED.labels(gateway=gateway, outcome=outcome).inc()


def observe_task(task: str, state: str, seconds: float) -> None:
    TASK_LATENCY.labels(task=task, state=state).observe(seconds)


def observe_queue_wait(task: str, seconds: float) -> None:
    TASK_QUEUE_WAIT.labels(task=task).observe(max(seconds, 0.0))


def mark_process_dead(pid: int) -> None:
    """A worker process is gone: its live samples stop counting (gunicorn's ``child_exit``)."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(pid)


class QueueDepthCollector(Collector):
    """The number of messages waiting in the broker's queue, read when scraped."""

    def collect(self) -> Iterator[Metric]:
        # Imported here: the broker reading needs Django's settings, the metrics above do not.
        from trackify import health

        family = GaugeMetricFamily(
            "trackify_task_queue_depth",
            "Messages waiting in the broker's task queue (0 without a broker).",
            labels=["queue"],
        )
        queue, depth = health.queue_depth()
        family.add_metric([queue], depth)
        yield family


class _Scrape:
    """What one scrape exposes: the samples (every process's, or this one's) and the queue depth."""

    def __init__(self, collectors: Iterable[Collector | CollectorRegistry]) -> None:
        self.collectors = list(collectors)

    def collect(self) -> Iterator[Metric]:
        for collector in self.collectors:
            yield from collector.collect()


def render() -> bytes:
    """The Prometheus text exposition of every metric, aggregated across processes when configured."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        source: CollectorRegistry = registry
    else:
        source = REGISTRY
    return generate_latest(_Scrape([source, QueueDepthCollector()]))  # type: ignore[arg-type]
