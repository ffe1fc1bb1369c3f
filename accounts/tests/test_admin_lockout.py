"""Password guessing locks a username out from that address: the admin's login page and the API's
login and token endpoints count together, and a locked-out sign-in fails even with the right password."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.utils import timezone

from accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return UserFactory(username="ops", is_staff=True, is_superuser=True)


def admin_login(client: Client, password: str):  # type: ignore[no-untyped-def]
    return client.post("/admin/login/?next=/admin/", {"username": "ops", "password": password, "next": "/admin/"})


def api_login(client: Client, password: str, path: str = "/api/auth/login/"):  # type: ignore[no-untyped-def]
    return client.post(path, {"username": "ops", "password": password}, content_type="application/json")


def signed_in_to_admin(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_the_admin_login_locks_after_the_failure_limit(settings, staff):
    client = Client()
    statuses = [admin_login(client, WRONG).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]

    right = admin_login(client, PASSWORD)
    assert right.status_code == 429
    assert right["Content-Type"].startswith("text/html")
    assert "Too many failed sign-in attempts. Wait 15 minutes before trying again." in right.content.decode()
    assert int(right["Retry-After"]) == 15 * 60
    assert not signed_in_to_admin(client)


def test_the_admin_login_works_again_after_the_cool_off(settings, staff):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_login(client, WRONG)
    assert admin_login(client, PASSWORD).status_code == 429
    # The cool-off runs from the last failure: move every failure back past it.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))

    response = admin_login(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert signed_in_to_admin(client)


def test_the_lockout_is_per_username_and_address(settings, staff):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_login(guesser, WRONG)
    assert admin_login(guesser, PASSWORD).status_code == 429
    # The real admin, elsewhere, is not locked out by someone else's guesses.
    colleague = Client(REMOTE_ADDR="198.51.100.7")
    assert admin_login(colleague, PASSWORD).status_code == 302
    assert signed_in_to_admin(colleague)


def test_a_forged_forwarded_for_header_does_not_reset_the_count(settings, staff):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": "ops", "password": WRONG},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt + 1}",
        )
    assert admin_login(client, PASSWORD).status_code == 429


def test_a_success_before_the_limit_starts_the_count_again(settings, staff):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert admin_login(client, WRONG).status_code == 200
    assert admin_login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert admin_login(client, WRONG).status_code == 200
    assert admin_login(client, PASSWORD).status_code == 302


def test_the_limit_and_cool_off_are_settings(settings, staff):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    client = Client()
    # The clock stands still: however slow the requests, the lockout has not run out when the
    # right password is tried.
    with time_machine.travel(timezone.now(), tick=False):
        assert [admin_login(client, WRONG).status_code for _ in range(2)] == [200, 429]
        locked = admin_login(client, PASSWORD)
    assert "Wait 1 minute before trying again." in locked.content.decode()
    assert locked["Retry-After"] == "60"


def test_the_api_login_answers_the_contract_error_then_a_json_429(settings, staff):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        refused = api_login(client, WRONG)
        assert refused.status_code == 400
        assert refused.json()["code"] == "invalid_credentials"

    for password in (WRONG, PASSWORD):  # the limit is reached, then even the right password is refused
        locked = api_login(client, password)
        assert locked.status_code == 429
        body = locked.json()
        assert set(body) == {"code", "message", "details"}
        assert body["code"] == "rate_limited"
        assert body["message"] == "Too many failed sign-in attempts. Wait 15 minutes before trying again."
        assert body["details"] == {"retry_after_seconds": 15 * 60}
        assert locked["Retry-After"] == str(15 * 60)
    assert "sessionid" not in client.cookies


def test_the_admin_and_the_api_share_one_count(settings, staff):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        (admin_login if attempt % 2 else api_login)(client, WRONG)
    token = api_login(client, WRONG, "/api/auth/token/")
    assert token.status_code == 429 and token.json()["code"] == "rate_limited"
    assert api_login(client, PASSWORD, "/api/auth/token/").status_code == 429
    assert admin_login(client, PASSWORD).status_code == 429


def test_the_api_schema_documents_the_lockout(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in ("/api/auth/login/", "/api/auth/token/"):
        assert "rate_limited" in paths[path]["post"]["responses"]["429"]["description"]


def test_the_lockout_settings_pass_axes_checks():
    # In a fresh process, as `manage.py check` and every server start run them.
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "trackify.settings_test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "axes." not in result.stdout + result.stderr
    assert result.returncode == 0, result.stderr


def test_the_limit_and_cool_off_come_from_the_environment():
    code = "from trackify import settings_test as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())"
    env = {**os.environ, "LOGIN_FAILURE_LIMIT": "8", "LOGIN_LOCKOUT_MINUTES": "40"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["8", "2400.0"], result.stderr
