"""The Celery application: `celery -A trackify worker` and `celery -A trackify beat`.

Tasks live beside the code they serve (``<app>/tasks.py``) and are found by autodiscovery.
Without a broker (the `make run` demo), tasks run in the web process right after the commit
that enqueued them (``core.background.enqueue``); see ``CELERY_TASK_ALWAYS_EAGER`` in settings.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trackify.settings")

app = Celery("trackify")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id into tasks, task latency metrics, the worker's logging from settings.LOGGING.
from trackify import celery_signals  # noqa: E402, F401
