"""Markers for the project's own tests: the production shape needs PostgreSQL and Redis.

Tests marked ``postgres`` start the processes `make serve` runs (gunicorn, a Celery worker,
beat) against a PostgreSQL database of their own and Redis. On the default SQLite run they are
skipped with a reason that says so (`-ra` lists it); CI's PostgreSQL + Redis pass runs them.
"""

from __future__ import annotations

import os

import pytest

PRODUCTION_SHAPE_SKIP_REASON = (
    "NOT RUN ON THIS DATABASE: the production shape (make serve: gunicorn, worker, beat) runs on "
    "PostgreSQL and Redis. Run with DATABASE_URL=postgres://... REDIS_URL=redis://...; CI does."
)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip(PRODUCTION_SHAPE_SKIP_REASON)
