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
# Celery's Django fixup closes every database connection before and after each task unless this
# is set, so each task opened a new PostgreSQL connection (a server process, its authentication,
# the session's set-up): a third of the time a worker spent applying a webhook event. With it,
# the fixup closes them only every this many tasks, and the worker follows Django's own rule
# between tasks as the web does between requests (``celery_signals``): a connection past
# ``CONN_MAX_AGE`` (0 by default: closed after each task) or broken by an error is closed.
app.conf.CELERY_DB_REUSE_MAX = 1000
app.autodiscover_tasks()

# The request id into tasks, task latency metrics, the worker's logging from settings.LOGGING.
from trackify import celery_signals  # noqa: E402, F401
