"""A worker's database connection between tasks follows Django's rule for requests: before and
after each task, a connection older than ``CONN_MAX_AGE`` or broken by an error is closed and
any other is kept (``close_if_unusable_or_obsolete``); a task run in the web process (no broker)
leaves the request's connection alone. Celery's own Django fix-up, which closed every connection
around every task (a new PostgreSQL connection per webhook event), closes them only every
``CELERY_DB_REUSE_MAX`` tasks."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from celery import signals
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from trackify.celery import app


class Task:
    """What the signals' receivers read of a task."""

    name = "payments.process_webhook_event"

    def __init__(self, *, eager: bool = False) -> None:
        self.request = SimpleNamespace(is_eager=eager)


def run(task: Task, task_id: str = "task-1") -> None:
    """What a worker signals around one task."""
    signals.task_prerun.send(sender=task, task_id=task_id, task=task)
    signals.task_postrun.send(sender=task, task_id=task_id, task=task, state="SUCCESS")


@pytest.fixture
def closing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What is done to the connection: "closed" outright, or "checked" (closed only if too old
    or unusable)."""
    done: list[str] = []
    monkeypatch.setattr(connection, "close", lambda: done.append("closed"))
    monkeypatch.setattr(connection, "close_if_unusable_or_obsolete", lambda: done.append("checked"))
    return done


def test_celerys_fixup_no_longer_closes_the_connection_around_each_task(closing):
    fixup = DjangoWorkerFixup(app)
    for _ in range(10):
        fixup.on_task_prerun(sender=Task())
        fixup.on_task_postrun(sender=Task())
    assert "closed" not in closing


def test_before_and_after_each_task_the_worker_closes_only_an_old_or_broken_connection(closing):
    run(Task(), "task-1")
    run(Task(), "task-2")
    assert closing == ["checked"] * 4


def test_a_task_run_in_the_web_process_leaves_the_requests_connection_alone(closing):
    run(Task(eager=True))
    assert closing == []
