"""Loading the WSGI app imports every route's view, so gunicorn's workers (forked from a
preloaded master, or booting on their own) answer their first request without importing the
API. With --max-requests each worker answers few requests: an import per worker made every
answer slow enough that a minute's rate-limit window slid during 60 requests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import trackify.wsgi
from django.db import connections
assert connections["default"].connection is None, "loading the app opened a database connection"
missing = [m for m in ("payments.api.views", "invoices.api.views", "trackify.api") if m not in sys.modules]
assert not missing, missing
print("ok")
"""


def test_loading_the_wsgi_app_imports_the_views_without_opening_the_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="trackify.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONWARNINGS="ignore:DEBUG is on and",
    )
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("ok")
