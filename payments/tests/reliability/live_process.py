"""The app as it is deployed, in its own processes: a real server (the dev server or gunicorn)
with the production settings on a temporary SQLite FILE, driven over HTTP.

The suite's own database is in memory and shared by one process: it cannot show what several
threads or worker processes writing to one database file do. These helpers start the real thing.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "demo-pass-1234"


# A guard against a hung start, never a measured figure: a server is polled until it answers,
# and a server that exits is reported at once.
START_PATIENCE_SECONDS = 180


class ReservedPort:
    """A free port on 127.0.0.1, kept from every other process until ``release()``.

    A port found free and left for a server to bind later can be taken in between: by another
    server asked to bind any free port, or by an outgoing connection (a database client, a
    request) given it as its local port. The server then fails to start, or the test talks to
    someone else's server. This socket holds the port, bound with SO_REUSEADDR and never
    listening: the kernel gives the port to nobody asking for a free one and to no outgoing
    connection, while a server that binds it by number with SO_REUSEADDR (gunicorn, runserver and
    redis-server all do) can listen on it. Until one does, a connection to it is refused."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]

    def release(self) -> None:
        self._socket.close()


@contextmanager
def reserved_port() -> Iterator[int]:
    """A port held for the server the block starts (see ``ReservedPort``)."""
    reservation = ReservedPort()
    try:
        yield reservation.port
    finally:
        reservation.release()


def server_env(database: Path, port: int, **extra: str) -> dict[str, str]:
    """The production settings with development keys, on ``database``; no Redis (the default
    deployment), nothing inherited from the test settings."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE", "PUBLIC_RATE_LIMIT"}}
    env.update(
        DJANGO_SETTINGS_MODULE="trackify.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        PUBLIC_RATE_LIMIT="off",
        SANDBOX_ASYNC_SETTLE_SECONDS="0",
        PYTHONWARNINGS="ignore:DEBUG is on and",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@dataclass
class Server:
    url: str
    env: dict[str, str]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_until_serving(
    url: str, process: subprocess.Popen[Any], log: Path, timeout: float = START_PATIENCE_SECONDS
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            requests.get(f"{url}/api/auth/me/", timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
    raise AssertionError(f"the server did not answer within {timeout} s:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen[Any]) -> None:
    """Stop the server and every process it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def spawn(command: list[str], port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a server ``command`` (``{port}`` filled in) in a process group of its own, so that
    ``stop`` ends it with its children; its output goes to ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [part.format(port=port) for part in command],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@contextmanager
def serving(tmp_path: Path, command: list[str], **extra_env: str) -> Iterator[Server]:
    """Migrate a fresh SQLite file and serve it with ``command`` (``{port}`` is filled in)."""
    with reserved_port() as port:
        env = server_env(tmp_path / "db.sqlite3", port, **extra_env)
        manage(env, "migrate", "--noinput")
        log = tmp_path / "server.log"
        process = spawn(command, port, env, log)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(url, process, log)
            yield Server(url=url, env=env, log=log)
        finally:
            stop(process)


def runserver() -> list[str]:
    """What `make run` serves with (threaded), without the autoreloader."""
    return [sys.executable, "manage.py", "runserver", "--noreload", "127.0.0.1:{port}"]


def gunicorn(workers: int = 1, threads: int = 1, max_requests: int = 0) -> list[str]:
    """Gunicorn as deployed. ``max_requests=1`` replaces each worker after one request, so
    consecutive requests are certainly answered by different processes (the app is preloaded,
    so each new worker starts at once, with nothing in its memory but what the master had)."""
    recycle = ["--max-requests", str(max_requests), "--preload"] if max_requests else []
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "trackify.wsgi:application",
        "--bind",
        "127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--access-logformat",
        "pid=%(p)s %(r)s %(s)s",
        *recycle,
    ]


class Owner:
    """The demo owner (``seed_demo``), signed in with an API token."""

    def __init__(self, server: Server) -> None:
        manage(server.env, "seed_demo", "--password", PASSWORD)
        self.url = server.url
        token = requests.post(
            f"{self.url}/api/auth/token/", json={"username": "demo", "password": PASSWORD}, timeout=30
        )
        assert token.status_code == 200, token.text
        self.headers = {"Authorization": f"Token {token.json()['token']}"}

    def get(self, path: str) -> requests.Response:
        return requests.get(f"{self.url}{path}", headers=self.headers, timeout=60)

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return requests.post(f"{self.url}{path}", json=body, headers=self.headers, timeout=60)

    def patch(self, path: str, body: dict[str, Any]) -> requests.Response:
        return requests.patch(f"{self.url}{path}", json=body, headers=self.headers, timeout=60)

    def demo_invoice(self) -> dict[str, Any]:
        invoices = self.get("/api/invoices/").json()["results"]
        return next(invoice for invoice in invoices if invoice["status"] == "sent")


def public_id(invoice: dict[str, Any]) -> str:
    """The id in the invoice's payment link, the one the public endpoints take."""
    return invoice["payment_url"].rstrip("/").rsplit("/", 1)[-1]


def create_session(url: str, invoice_id: str, amount: str) -> requests.Response:
    body = {"invoice_id": invoice_id, "amount": amount}
    return requests.post(f"{url}/api/payment/create-session/", json=body, timeout=60)


def pay_in_sandbox(checkout_url: str, outcome: str = "pay") -> requests.Response:
    """Choose an outcome on the sandbox's checkout page, as the payer's browser does."""
    browser = requests.Session()
    page = browser.get(checkout_url, timeout=60)
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text
    return browser.post(
        checkout_url,
        data={"outcome": outcome, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": checkout_url},
        allow_redirects=False,
        timeout=60,
    )


def assert_contract_error(response: requests.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    assert set(response.json()) == {"code", "message", "details"}, response.text[:500]
