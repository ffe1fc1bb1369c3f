"""`make bench`: every hot path and its baseline, measured in one run, printed as one table.

Steps: create the PostgreSQL database if missing and migrate it; seed it (``bench.seed``);
count SQL queries per request in-process (``bench.queries``) and profile the read paths
(``bench.profile``); start gunicorn with ``bench.settings``; run one headless locust phase per
path and concurrency (webhooks are acknowledged with no worker running: they wait in Redis);
run the public view and the webhook again at half their measured peak; then start real Celery
workers (``bench.workers``), time the backlog's draining, and deliver webhooks at half the
acknowledgement peak with 1, then 2 workers, measuring acknowledgement to invoice paid; stop
everything; check the database (``bench.check``); print the table (``bench.report``).

Environment: ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/trackify_bench``),
``BENCH_REDIS_URL`` (the broker and cache, default ``redis://127.0.0.1:6379/3``; only its Celery
queue is emptied), ``BENCH_DURATION`` (seconds per phase, default 10), ``BENCH_WORKERS`` /
``BENCH_THREADS`` (gunicorn, default 4 sync workers; threads > 1 selects gthread),
``BENCH_PORT`` (default 8765), ``BENCH_WEBHOOK_PAYMENTS`` (default 30,000).
"""

from __future__ import annotations

import csv
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

from bench import report, workers

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
BIN = Path(sys.executable).parent
DURATION = int(os.environ.get("BENCH_DURATION") or 10)
# Sync workers: with threads, a request waiting for PostgreSQL queues for the GIL behind its
# neighbours' CPU work at every query, which inflates p50 and p99 (measured: gthread 3 x 4
# gave half the webhook rate at 4 users and a higher p99 than 4 sync workers).
WORKERS = int(os.environ.get("BENCH_WORKERS") or 4)
THREADS = int(os.environ.get("BENCH_THREADS") or 1)
PORT = int(os.environ.get("BENCH_PORT") or 8765)
HOST = f"http://127.0.0.1:{PORT}"
INGEST_USERS = (4, 16, 32)
USERS = 16
WEBHOOK_PAYMENTS = int(os.environ.get("BENCH_WEBHOOK_PAYMENTS") or 30_000)
DRAIN_TIMEOUT = 150
LOAD_AT_START = os.getloadavg()


@dataclass
class Phase:
    label: str
    user_class: str
    users: int
    rate: float = 0.0  # total requests/s; 0 = as fast as the server answers
    rps: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    requests: int = 0
    failures: int = 0
    extra: dict = field(default_factory=dict)


def main() -> int:
    # Stopped from outside: unwind, so the server and workers started below are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = _environment()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    # Before anything is enqueued: only what this run sends is in the benchmark's queue.
    workers.clear_queue(env["CELERY_BROKER_URL"])
    started = time.monotonic()
    _step("database", lambda: _create_database(env["DATABASE_URL"]))
    _step("migrate", lambda: _run([PY, "manage.py", "migrate", "--noinput", "-v0"], env))
    _step("seed", lambda: _run([PY, "-m", "bench.seed", "--out", str(OUT), "--webhook-payments", str(WEBHOOK_PAYMENTS)], env))
    measured = json.loads(_step("query counts", lambda: _run([PY, "-m", "bench.queries", str(OUT)], env, capture=True)))
    queries, in_process = measured["queries"], measured["ms"]
    profiles = json.loads(_step("profiles", lambda: _run([PY, "-m", "bench.profile", str(OUT)], env, capture=True)))
    server = _start_server(env)
    phases: list[Phase] = []
    offsets = {"WebhookIngest": 0}
    try:
        def run(phase: Phase) -> Phase:
            _locust(phase, env, offsets)
            phases.append(phase)
            return phase

        # Each path runs right after its baseline, so both see the same machine.
        bare = run(Phase("bare view (JsonResponse)", "BareView", USERS))
        public = run(Phase("public invoice view", "PublicInvoice", USERS))
        public_half = run(Phase("public invoice at half peak", "PublicInvoice", USERS, rate=round(public.rps / 2, 1)))
        minimal, webhook = [], []
        for users in INGEST_USERS:
            minimal.append(run(Phase(f"minimal ingest, {users} users", "MinimalIngest", users)))
            webhook.append(run(Phase(f"webhook acknowledgement, {users} users", "WebhookIngest", users)))
        peak_webhook = max(webhook, key=lambda p: p.rps)
        webhook_half = run(Phase("webhook acknowledgement at half peak", "WebhookIngest", USERS, rate=round(peak_webhook.rps / 2, 1)))
        run(Phase("create-session (sandbox)", "CreateSession", USERS))
        run(Phase("owner's invoice list", "InvoiceList", USERS))
        run(Phase("owner's payment list", "PaymentList", USERS))
        paid = _ack_to_paid(run, env, rate=round(peak_webhook.rps / 2, 1))
    finally:
        _stop_server(server)
    verdict = json.loads(_step("database check", lambda: _run([PY, "-m", "bench.check", str(OUT)], env, capture=True)))
    report.print_all(
        phases, queries, in_process, profiles, verdict, paid, bare=bare, minimal=minimal, webhook=webhook,
        webhook_half=webhook_half, public=public, public_half=public_half, elapsed=time.monotonic() - started,
        header=_header(time.monotonic() - started),
    )
    return 0 if verdict["ok"] and not paid["problems"] else 1


def _ack_to_paid(run, env: dict[str, str], *, rate: float) -> dict:  # type: ignore[no-untyped-def]
    """Workers on: apply the acknowledged backlog (timed), then deliver at ``rate`` with 1 and
    with 2 workers, each phase followed by its draining and its latencies."""
    result: dict = {"problems": []}
    pool = _step("workers start", lambda: workers.start(range(1, 3), env, OUT))
    try:
        result["backlog"] = _step("backlog", lambda: workers.wait_drained(env, DRAIN_TIMEOUT))
        workers.stop(pool[1:])
        del pool[1:]
        for count in (1, 2):
            if count == 2:
                pool += workers.start(range(2, 3), env, OUT)
            phase = run(Phase(f"ack to paid, {count} worker{'s' if count > 1 else ''}", "WebhookIngest", USERS, rate=rate))
            drained = _step(f"drain with {count}", lambda: workers.wait_drained(env, DRAIN_TIMEOUT))
            latency = workers.latencies(env, OUT, phase.extra["name"])
            result[count] = {"phase": phase, "drain": drained, **latency}
            if drained["left"] or latency["applied"] != latency["events"]:
                result["problems"].append(f"{count} worker(s): {drained['left']} events left unapplied after {DRAIN_TIMEOUT}s")
    finally:
        workers.stop(pool)
    return result


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/trackify_bench")
    redis_url = env.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/3"
    env.update(
        # The production shape: Redis is the cache and the broker; webhooks are applied by workers.
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        # Receipts are still built and sent by the workers, to a backend that drops them.
        EMAIL_URL="dummy://",
        LOG_REQUESTS="0",
    )
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or "bench-" + Fernet.generate_key().decode(),
        CREDENTIALS_ENCRYPTION_KEYS=Fernet.generate_key().decode(),  # the seed re-creates every config
        SECURE_SSL_REDIRECT="0",
        PUBLIC_RATE_LIMIT="off",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PUBLIC_BASE_URL=HOST,
        # Persistent connections, as a production deployment would run (the default, 0, opens
        # one per request); the baselines get the same.
        DB_CONN_MAX_AGE=env.get("DB_CONN_MAX_AGE") or "60",
        PYTHONPATH=str(ROOT),
        PYTHONWARNINGS="ignore",
    )
    return env


def _step(name: str, action):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    print(f"[bench] {name}...", file=sys.stderr, flush=True)
    result = action()
    print(f"[bench] {name} done in {time.monotonic() - started:.1f}s", file=sys.stderr, flush=True)
    return result


def _run(command: list[str], env: dict[str, str], *, capture: bool = False) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE if capture else None,
                            timeout=300, check=True)
    return result.stdout or ""


def _create_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"[bench] created database {name}", file=sys.stderr)
    connection.close()


def _start_server(env: dict[str, str]) -> subprocess.Popen:
    log = open(OUT / "gunicorn.log", "w")
    command = [
        str(BIN / "gunicorn"), "trackify.wsgi:application",
        "--bind", f"127.0.0.1:{PORT}",
        "--workers", str(WORKERS),
        "--worker-class", "gthread" if THREADS > 1 else "sync",
        "--threads", str(THREADS),
        "--backlog", "256",
        "--keep-alive", "5",
        "--timeout", "30",
        "--log-level", "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited; see {OUT / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"{HOST}/bench/bare/", timeout=2) as response:
                if response.status == 200:
                    # One request per worker first, so no phase pays for a cold start.
                    for _ in range(WORKERS * 4):
                        urllib.request.urlopen(f"{HOST}/bench/bare/", timeout=2).read()
                    return server
        except (TimeoutError, OSError):
            time.sleep(0.3)
    _stop_server(server)
    sys.exit("gunicorn did not answer within 30 seconds")


def _stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _locust(phase: Phase, env: dict[str, str], offsets: dict[str, int]) -> None:
    name = f"{len(list(OUT.glob('*_stats.csv'))):02d}-{phase.user_class}-{phase.users}{'-rate' if phase.rate else ''}"
    phase.extra["name"] = name
    phase_env = {
        **env,
        "BENCH_FIXTURE": str(OUT / "fixture.json"),
        "BENCH_OUT": str(OUT),
        "BENCH_PHASE": name,
        "BENCH_RATE": str(phase.rate / phase.users) if phase.rate else "",
        "BENCH_WEBHOOK_OFFSET": str(offsets.get(phase.user_class, 0)),
    }
    command = [
        str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), phase.user_class,
        "--headless", "--host", HOST,
        "--users", str(phase.users), "--spawn-rate", str(phase.users),
        "--run-time", f"{DURATION}s", "--stop-timeout", "5",
        "--csv", str(OUT / name), "--only-summary", "--loglevel", "WARNING",
        "--exit-code-on-error", "0",
    ]
    print(f"[bench] {phase.label}{f' at {phase.rate}/s' if phase.rate else ''}...", file=sys.stderr, flush=True)
    with open(OUT / f"{name}.log", "w") as log:
        subprocess.run(command, cwd=ROOT, env=phase_env, stdout=log, stderr=subprocess.STDOUT, timeout=DURATION + 60,
                       check=True)
    with open(OUT / f"{name}_stats.csv") as f:
        rows = [row for row in csv.DictReader(f) if row["Name"] != "Aggregated"]
    if rows:
        row = rows[0]
        phase.requests = int(row["Request Count"])
        phase.failures = int(row["Failure Count"])
        phase.rps = float(row["Requests/s"])
        phase.p50 = float(row["50%"] or 0)
        phase.p99 = float(row["99%"] or 0)
    for kind in ("webhook", "minimal"):
        record = OUT / f"{name}.{kind}.json"
        if record.exists():
            sent = json.loads(record.read_text())
            if phase.user_class in offsets:
                offsets[phase.user_class] += sent["taken"]
            phase.extra["exhausted"] = sent["exhausted"]


def _header(elapsed: float) -> str:
    return (f"Trackify benchmark: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}, "
            f"gunicorn {WORKERS} workers x {THREADS} threads, locust 1 process, {DURATION}s per phase, total {elapsed:.0f}s; "
            f"load average at start {LOAD_AT_START[0]:.1f}, at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
