"""The fault tests need PostgreSQL: the worker and web processes they start share the test's
database, and the suite's SQLite database lives in this process's memory, out of their reach.
On SQLite they are skipped with a reason that says so; CI runs them in its PostgreSQL pass
(``.ci/run`` sets ``DATABASE_URL`` and ``REDIS_URL``). They start their own ``redis-server``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from payments.tests.background.processes import RedisServer, Worker, process_env, web_server

SKIP_REASON = (
    "NOT RUN ON THIS DATABASE: the worker fault tests share the test database with a Celery worker "
    "process, which an in-memory SQLite database cannot be. Run them with "
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/trackify; CI does."
)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("worker_faults") and connection.vendor != "postgresql":
        pytest.skip(SKIP_REASON)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "worker_faults: a real Celery worker and redis-server against PostgreSQL (CI's PostgreSQL pass)"
    )


class Stack:
    """Redis, a web server and workers, on the test database."""

    def __init__(self, tmp_path: Path) -> None:
        assert shutil.which("redis-server"), "the fault tests start their own redis-server; install redis-server"
        self.tmp_path = tmp_path
        self.redis = RedisServer(tmp_path)
        self.redis.start()
        self.env = process_env(self.redis.url)
        self.workers: list[Worker] = []

    def worker(self) -> Worker:
        worker = Worker(self.tmp_path, self.env)
        self.workers.append(worker)
        return worker

    def logs(self) -> tuple[Path, ...]:
        return (*(worker.log for worker in self.workers), self.tmp_path / "web.log", self.redis.log)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.redis.close()


@pytest.fixture
def stack(transactional_db, tmp_path: Path) -> Iterator[Stack]:
    """Stopped before the test database is emptied (it depends on ``transactional_db``)."""
    running = Stack(tmp_path)
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def web(stack: Stack) -> Iterator[str]:
    with web_server(stack.tmp_path, stack.env) as url:
        yield url
