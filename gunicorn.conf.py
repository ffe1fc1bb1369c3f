"""Gunicorn's settings for `make serve` (the Procfile's web process); read from the environment.

gunicorn also reads this file when started from the repository root without ``-c``; options
given on its command line win over these.
"""

from __future__ import annotations

import os

from trackify import metrics

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# The product does not drive gunicorn through its control socket, whose default path
# (~/.gunicorn/gunicorn.ctl) would be shared, and taken over, by every gunicorn started on the machine.
control_socket_disable = True
# Behind a proxy on this machine (or a load balancer): X-Forwarded-Proto is trusted from here only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

if os.environ.get("LOG_FORMAT", "").lower() == "json":
    # Gunicorn's own lines (booting, a worker's exit) in the same JSON shape as the app's. Each
    # request is logged by the app itself (LOG_REQUESTS), with its request id: no access log.
    accesslog = None
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": True,
            }
        },
        "filters": {
            "request_id": {"()": "trackify.request_id.RequestIdFilter"},
            "redact_secrets": {"()": "trackify.logging.RedactSecretsFilter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id", "redact_secrets"],
                "stream": "ext://sys.stdout",
            }
        },
        "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
        "root": {"handlers": ["console"], "level": "INFO"},
    }


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """A worker exited: its live samples stop counting in the metrics every worker shares."""
    metrics.mark_process_dead(worker.pid)
