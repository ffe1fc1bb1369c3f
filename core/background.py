"""Enqueue background work once the current transaction commits.

A task enqueued inside a transaction that then rolls back must never run, and a task must
never run before the rows it reads are committed: ``enqueue`` hands the task to the broker in
``transaction.on_commit``. Without a broker (``CELERY_TASK_ALWAYS_EAGER``), the same call runs
the task in this process right after the commit, so the one-process demo behaves the same.

Tasks must be idempotent: the broker may deliver a message twice (late acknowledgement), and
the periodic sweeps re-enqueue whatever a lost message left undone.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` with these arguments after the current transaction commits (at once if
    there is none). A broker that cannot be reached is logged, never raised: the caller's work is
    committed, and the sweep that owns this kind of work finds it later."""

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # broker down: the stored row is the source of truth
            logger.warning("Could not enqueue %s; its periodic sweep will pick the work up", task.name, exc_info=True)

    transaction.on_commit(send, robust=True)


def runs_in_process(task: Task) -> bool:
    """Whether ``enqueue(task, ...)`` runs the task here (no broker) rather than in a worker."""
    return bool(task.app.conf.task_always_eager)
