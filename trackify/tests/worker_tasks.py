"""A task for the tests that start a real worker (``celery worker --include`` this module)."""

from __future__ import annotations

import logging

from trackify.celery import app

logger = logging.getLogger("trackify.tests.worker")


@app.task(name="trackify.tests.log_a_line")
def log_a_line(text: str) -> str:
    logger.info("task says %s", text)
    return text
