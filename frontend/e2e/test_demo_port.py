"""A demo on another port: `make run` itself, as a new user starts it (PORT=<free port>, a fresh
SQLite file, no keys set), prints a payment link to that port, and a client pays through it.

Every link the app makes (the payment link, the sandbox checkout, its return to the app) must
reach the server `make run` started, not the default port 8000.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# What the test settings put in the environment, and what an outer `make` passes down: a user's
# shell has none of it.
NOT_IN_A_USERS_SHELL = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "CREDENTIALS_ENCRYPTION_KEYS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "PUBLIC_RATE_LIMIT",
    "SANDBOX_ASYNC_SETTLE_SECONDS",
    "ALLOWED_HOSTS",
    "PUBLIC_BASE_URL",
    "REDIS_URL",
    "DEBUG",
    "HOST",
    "MAKEFLAGS",
    "MAKELEVEL",
    "MFLAGS",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, what: str, process: subprocess.Popen, log: Path, timeout: float = 300):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make run exited with {process.returncode} before {what}:\n{log.read_text()}")
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"make run: no {what} within {timeout} s:\n{log.read_text()}")


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still busy starting
        return False


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`make run` on a free port and a fresh SQLite file; the whole process group is stopped at the end."""
    tmp_path = tmp_path_factory.mktemp("demo")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_A_USERS_SHELL}
    env.update(PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        link = wait_for(
            lambda: re.search(r"public payment link:\s+(\S+)", log.read_text()), "payment link", process, log
        ).group(1)
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/login"), f"server on port {port}", process, log)
        yield port, link, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


def test_make_run_on_another_port_links_to_it_and_the_client_pays(demo, browser):
    port, link, log = demo
    assert re.fullmatch(rf"http://127\.0\.0\.1:{port}/pay/[0-9a-f-]{{36}}", link), link
    output = log.read_text()
    assert f"Sign in:        http://127.0.0.1:{port}/login" in output
    # The webhook URL a gateway is given points there too.
    password = re.search(r"Password:\s+(\S+)", output).group(1)
    api = f"http://127.0.0.1:{port}/api"
    token = requests.post(f"{api}/auth/token/", json={"username": "demo", "password": password}, timeout=30)
    (gateway,) = requests.get(
        f"{api}/payment/gateways/", headers={"Authorization": f"Token {token.json()['token']}"}, timeout=30
    ).json()
    assert gateway["webhook_url"].startswith(f"http://127.0.0.1:{port}/api/payment/webhook/sandbox/")

    context = browser.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(link)
    page.get_by_role("button", name="Pay now").click()
    page.wait_for_url(re.compile(rf"^http://127\.0\.0\.1:{port}/sandbox/checkout/"))
    page.get_by_role("button", name="Pay", exact=True).click()
    page.wait_for_url(re.compile(rf"^http://127\.0\.0\.1:{port}/pay/.+/return\?payment="))
    expect(page.get_by_text("Payment received. Thank you!")).to_be_visible()
    expect(page.get_by_text("This invoice is now paid in full.")).to_be_visible()
    context.close()


def test_make_run_warns_about_the_development_keys_once_and_logs_a_4xx_once(demo):
    port, _link, log = demo
    assert requests.get(f"http://127.0.0.1:{port}/api/no-such-thing/", timeout=30).status_code == 404

    output = log.read_text()
    warnings = [line for line in output.splitlines() if "not set: using development defaults" in line]
    assert len(warnings) == 1, output
    assert "SECRET_KEY and CREDENTIALS_ENCRYPTION_KEYS are not set" in warnings[0]
    assert output.count("Not Found: /api/no-such-thing/") == 1, output
