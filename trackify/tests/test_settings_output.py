"""What the settings make the app say: the development-keys warning once and in good grammar,
each 4xx logged once, and the app's own links allowed as hosts."""

from __future__ import annotations

import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings
from django.utils.log import DEFAULT_LOGGING

ROOT = Path(__file__).resolve().parents[2]
USER_SHELL = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "DJANGO_SETTINGS_MODULE",
        "SECRET_KEY",
        "CREDENTIALS_ENCRYPTION_KEYS",
        "ALLOWED_HOSTS",
        "PUBLIC_BASE_URL",
        "RUN_MAIN",
    }
}


def django_process(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Load the production settings in a new process, as manage.py does, and run ``code``."""
    script = f"import django; django.setup(); {code}"
    environment = {**USER_SHELL, "DJANGO_SETTINGS_MODULE": "trackify.settings", "DEBUG": "1", **env}
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def test_the_development_keys_warning_names_them_once_in_good_grammar():
    done = django_process("")
    lines = [line for line in done.stderr.splitlines() if "development defaults" in line]
    assert len(lines) == 1, done.stderr
    assert (
        "DEBUG is on and SECRET_KEY and CREDENTIALS_ENCRYPTION_KEYS are not set: using development defaults."
        in lines[0]
    )


def test_one_missing_key_is_named_in_the_singular():
    done = django_process("", SECRET_KEY="a-development-secret-key-long-enough-for-the-checks-0123456789")
    assert "CREDENTIALS_ENCRYPTION_KEYS is not set" in done.stderr


def test_the_dev_servers_reloaded_process_does_not_warn_again():
    # runserver's autoreloader imports the settings again in a child with RUN_MAIN=true.
    assert "development defaults" not in django_process("", RUN_MAIN="true").stderr


def test_the_hosts_of_the_apps_own_links_are_allowed():
    code = "from django.conf import settings; print(settings.ALLOWED_HOSTS)"
    assert "'192.168.1.20'" in django_process(code, PUBLIC_BASE_URL="http://192.168.1.20:8765").stdout
    # An explicit list is kept as it is.
    assert django_process(code, ALLOWED_HOSTS="pay.example.com").stdout.strip() == "['pay.example.com']"


def test_a_4xx_is_logged_once(capsys, settings):
    """Django's default logging config first, then ours, as Django itself applies them."""
    settings.DEBUG = True  # as under `make run`: Django's own console handler prints with DEBUG on
    try:
        logging.config.dictConfig(DEFAULT_LOGGING)
        logging.config.dictConfig(django_settings.LOGGING)
        logging.getLogger("django.request").warning("Not Found: %s", "/api/no-such-thing/")
        printed = capsys.readouterr().err
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    assert printed.count("Not Found: /api/no-such-thing/") == 1, printed
