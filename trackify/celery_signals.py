"""Celery's signals: the request id follows a task, task latency is measured, logs stay ours.

- ``before_task_publish`` copies the current request id and the publication time into the
  message's headers.
- ``task_prerun`` restores that id in the worker (each log line of the task carries the id of
  the request that enqueued it), starts the task's clock and records how long it waited in the
  queue; ``task_postrun`` records its latency with its final state and restores the id that was
  current before (in the worker: none; in an eager run: the enqueuing request's own).
- ``setup_logging`` configures the worker's and beat's logging from ``settings.LOGGING`` (JSON
  lines, the request id, secrets redacted) instead of Celery's own formatting.
- ``worker_process_shutdown`` marks a pool process dead for the multi-process metrics.
- Before and after each task run by a worker, database connections past ``CONN_MAX_AGE`` or
  broken by an error are closed (``close_old_connections``, what Django does around a request);
  the others are kept for the next task (see ``CELERY_DB_REUSE_MAX`` in ``trackify/celery.py``).

Connected by importing this module from ``trackify/celery.py``.
"""

from __future__ import annotations

import contextvars
import logging.config
import os
import time
from typing import Any

from celery import signals
from django.db import close_old_connections

from trackify import metrics, request_id

REQUEST_ID_HEADER = "trackify_request_id"
PUBLISHED_AT_HEADER = "trackify_published_at"

# task id -> (the token to restore the previous request id, the monotonic start time)
_running: dict[str, tuple[contextvars.Token[str | None], float]] = {}


@signals.before_task_publish.connect
def _stamp_message(headers: dict[str, Any] | None = None, **_: Any) -> None:
    if headers is None:
        return
    current = request_id.get()
    if current:
        headers[REQUEST_ID_HEADER] = current
    headers[PUBLISHED_AT_HEADER] = time.time()


def _header(task: Any, name: str) -> Any:
    value = getattr(task.request, name, None)
    if value is None:  # some versions keep the custom headers apart
        value = (getattr(task.request, "headers", None) or {}).get(name)
    return value


@signals.task_prerun.connect
def _task_started(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task is None or task_id is None:
        return
    eager = getattr(task.request, "is_eager", False)
    if not eager:  # in an eager run the connection is the enqueuing request's own
        close_old_connections()
    carried = request_id.accepted(_header(task, REQUEST_ID_HEADER))
    # An eager run (no broker) happens inside the enqueuing request: its id is already current.
    token = request_id.current.set(carried or request_id.get())
    _running[task_id] = (token, time.perf_counter())
    published_at = _header(task, PUBLISHED_AT_HEADER)
    if not eager and isinstance(published_at, int | float):
        metrics.observe_queue_wait(task.name, time.time() - published_at)


@signals.task_postrun.connect
def _task_finished(task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any) -> None:
    if task is not None and not getattr(task.request, "is_eager", False):
        close_old_connections()
    entry = _running.pop(task_id, None) if task_id else None
    if entry is None:
        return
    token, started = entry
    if task is not None:
        metrics.observe_task(task.name, state or "UNKNOWN", time.perf_counter() - started)
    try:
        request_id.current.reset(token)
    except ValueError:  # set in another context: clear instead
        request_id.current.set(None)


@signals.setup_logging.connect
def _configure_logging(**_: Any) -> None:
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.worker_process_shutdown.connect
def _pool_process_gone(**_: Any) -> None:
    metrics.mark_process_dead(os.getpid())
