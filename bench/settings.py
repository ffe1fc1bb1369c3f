"""Benchmark settings: the product's settings plus the two baseline views (and nothing else).

The baselines exist only here, never in ``trackify.urls``: they are the floor the real hot
paths are compared with, served by the same gunicorn, middleware and database.
"""

from trackify.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The same process log level as production, but no per-request noise from the load.
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
