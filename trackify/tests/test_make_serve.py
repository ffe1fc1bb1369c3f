"""`make serve`, brought up for real: honcho runs gunicorn, a Celery worker and beat against
PostgreSQL and Redis; it answers /readyz, a sandbox payment is applied by the worker, and Ctrl-C
stops every process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from payments.tests.background.processes import RedisServer, wait_for
from payments.tests.reliability.live_process import (
    ROOT,
    Owner,
    Server,
    create_session,
    pay_in_sandbox,
    public_id,
    reserved_port,
)

pytestmark = pytest.mark.postgres

# What the test settings put in the environment: `make serve` must run without them.
TEST_ONLY = {
    "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "CREDENTIALS_ENCRYPTION_KEYS", "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "PUBLIC_RATE_LIMIT", "ALLOWED_HOSTS", "PUBLIC_BASE_URL",
    "PROMETHEUS_MULTIPROC_DIR", "LOG_FORMAT", "MAKEFLAGS", "MAKELEVEL", "HOST", "PORT",
}  # fmt: skip


def own_database() -> str:
    """A database beside the test run's own (``<name>_serve``), created empty."""
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"{url.path.lstrip('/') or 'trackify'}_serve"
    admin = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    subprocess.run(["dropdb", "--if-exists", *admin, name], check=True, capture_output=True, timeout=60)
    subprocess.run(["createdb", *admin, name], check=True, capture_output=True, timeout=60)
    return urlunsplit(url._replace(path=f"/{name}"))


def read_env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key: value for key, value in pairs}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, subprocess.Popen, Path]]:
    subprocess.run(["flock", "/tmp/frontend-build.lock", "make", "frontend"], cwd=ROOT, check=True, timeout=600)
    # A redis-server of its own: a Redis database shared with another run (or with this run's
    # cache, which each test empties) would hand its tasks to another worker, or lose them.
    redis_server = RedisServer(tmp_path)
    try:
        redis_server.start()
        # The port is held from now until gunicorn listens on it, after make serve has migrated.
        with reserved_port() as port:
            env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
            env.update(
                DATABASE_URL=own_database(),
                REDIS_URL=redis_server.url,
                PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
                WEB_CONCURRENCY="2",
                CELERY_CONCURRENCY="1",
            )
            env_file = tmp_path / "env.serve"
            log = tmp_path / "serve.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    ["make", "--no-print-directory", "serve", f"PORT={port}", "HOST=127.0.0.1", f"SERVE_ENV_FILE={env_file}"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip
            url = f"http://127.0.0.1:{port}"
            # The commands run beside the server (seed_demo) use the same settings and generated keys.
            server = Server(
                url=url, env={**env, "DEBUG": "0", "PUBLIC_BASE_URL": url, "SECURE_SSL_REDIRECT": "0"}, log=log
            )
            try:
                wait_until_ready(url, process, log)
                server.env.update(read_env_file(env_file))
                yield server, process, env_file
            finally:
                if process.poll() is None:
                    # honcho starts each process in a group of its own: only honcho can stop them all.
                    os.killpg(process.pid, signal.SIGINT)
                    try:
                        process.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        os.killpg(process.pid, signal.SIGKILL)
    finally:
        redis_server.close()


def wait_until_ready(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    """Until /readyz answers 200 (make serve first builds, migrates and collects the static files)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make serve exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if requests.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"make serve was not ready within {timeout} s:\n{log.read_text(errors='replace')}")


def scraped(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{key}="{value}"' in line for key, value in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def page_counting(url: str, name: str, **labels: str) -> str | None:
    """The /metrics page, once it counts the sample at least once."""
    page = requests.get(f"{url}/metrics", timeout=10).text
    return page if scraped(page, name, **labels) >= 1 else None


def paid_invoice(owner: Owner, invoice_id: str, log: Path) -> dict:
    """The invoice once the worker has applied the payment (the worker may still be booting)."""

    def paid() -> dict | None:
        invoice = owner.get(f"/api/invoices/{invoice_id}/").json()
        return invoice if invoice["status"] == "paid" else None

    return wait_for(paid, "the worker applies the payment and the invoice is paid", (log,))


def test_make_serve_runs_web_worker_and_beat_and_a_payment_goes_through_the_worker(served):
    server, process, env_file = served
    assert set(read_env_file(env_file)) == {"SECRET_KEY", "CREDENTIALS_ENCRYPTION_KEYS"}
    ready = requests.get(f"{server.url}/readyz", timeout=10).json()
    assert ready == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}

    owner = Owner(server)
    invoice = owner.demo_invoice()
    session = create_session(server.url, public_id(invoice), invoice["amount_due"])
    assert session.status_code == 201, session.text
    assert pay_in_sandbox(session.json()["checkout_url"]).status_code in (302, 303)
    assert paid_invoice(owner, invoice["id"], server.log)["status"] == "paid"

    # Counted by the web workers and by the Celery worker, read from one page. The worker records
    # the task's duration once the task has returned, just after the payment it applied was
    # committed: the invoice can read paid a moment before.
    task = {"task": "payments.process_webhook_event", "state": "SUCCESS"}
    page = wait_for(
        lambda: page_counting(server.url, "trackify_task_duration_seconds_count", **task),
        "the worker's task duration is on /metrics",
        (server.log,),
    )
    assert scraped(page, "trackify_webhook_events_received_total", gateway="sandbox", outcome="stored") >= 1
    assert re.search(r"worker\.1\s+\|\s+\{.*payments\.process_webhook_event", server.output())
    # Beat boots beside the worker, and on a busy machine may log its first line later.
    wait_for(lambda: re.search(r"beat\.1\s+\|\s+\{", server.output()), "beat logs in JSON", (server.log,))

    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal
    process.wait(timeout=60)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # nothing of the group is left running
    # honcho signals each process's whole group: a task running at that moment is interrupted
    # (WorkerLostError) and, acknowledged late, delivered again on the next start. Nothing else
    # may fail on the way down.
    failures = [line for line in server.output().splitlines() if "Traceback" in line and "WorkerLostError" not in line]
    assert not failures, failures
