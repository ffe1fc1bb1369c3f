"""Fixtures shared by every app's tests."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import Atomic
from rest_framework.test import APIClient

logger = logging.getLogger(__name__)


def pytest_configure(config: pytest.Config) -> None:
    # Tasks run in the test's own process, right after the commit that enqueued them, even when
    # REDIS_URL (and so a broker) is set for the PostgreSQL pass. The tests in
    # payments/tests/background start a real worker and a real Redis of their own instead.
    from trackify.celery import app

    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and refresh throttles live in the cache: no test inherits another's counts.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def _run_commit_hooks_if_committed(connection: BaseDatabaseWrapper) -> None:
    """Run the on-commit callbacks the code under test would see run by a real commit: those
    left once every atomic block still open is the test case's own wrapping transaction."""
    if not connection.in_atomic_block or connection.needs_rollback:
        return
    if not all(block._from_testcase for block in connection.atomic_blocks):
        return
    while connection.run_on_commit:
        _, func, robust = connection.run_on_commit.pop(0)
        if not robust:
            func()
            continue
        try:
            func()
        except Exception:
            logger.exception("Error calling %s in on_commit()", getattr(func, "__qualname__", func))


@pytest.fixture(autouse=True)
def _commits_run_their_on_commit_callbacks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """A test inside the usual rolled-back transaction behaves as if each of the code's own
    transactions committed: callbacks registered with ``transaction.on_commit`` (tasks handed
    to a worker, emails) run when the code's outermost ``atomic`` block exits successfully, or
    at once outside any, and never when that block rolls back. Tests that capture callbacks
    themselves (``django_capture_on_commit_callbacks``) keep Django's plain behaviour."""
    if "django_capture_on_commit_callbacks" in request.fixturenames:
        yield
        return
    original_exit = Atomic.__exit__
    original_on_commit = BaseDatabaseWrapper.on_commit

    def exit_then_run(self, exc_type, exc_value, traceback):  # type: ignore[no-untyped-def]
        result = original_exit(self, exc_type, exc_value, traceback)
        if exc_type is None:
            _run_commit_hooks_if_committed(connections[self.using or "default"])
        return result

    def on_commit_then_run(self, func, robust=False):  # type: ignore[no-untyped-def]
        original_on_commit(self, func, robust)
        _run_commit_hooks_if_committed(self)

    monkeypatch.setattr(Atomic, "__exit__", exit_then_run)
    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit_then_run)
    yield
