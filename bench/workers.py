"""Real Celery workers for ``make bench``, and what is measured with them.

The acknowledgement phases run with no worker: every answered event waits in the broker (the
burst a gateway sends after an outage). Then ``start`` brings up worker processes
(``celery -A trackify worker``, one process each, on the benchmark's own Redis database),
``wait_drained`` times how long they take to apply that backlog, and each latency phase
delivers events at a fixed rate while the workers apply them: ``latencies`` reads, for every
event answered in the phase, the time from its 200 (recorded by the load generator) to the
moment its processing finished (``processed_at``, in the transaction that marked the invoice
paid).

Only the benchmark's own processes are started and stopped here, by their process group.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

QUEUE = "celery"  # the default queue: every task of the product goes there
HOST = socket.gethostname()


def worker_name(index: int) -> str:
    return f"bench{index}@{HOST}"


def clear_queue(redis_url: str) -> None:
    """Drop what an earlier run left in the benchmark's broker (its queue and unacknowledged
    messages only; no other key of the database is touched)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.delete(QUEUE, "unacked", "unacked_index", "unacked_mutex")
    client.close()


def start(indexes: range, env: dict[str, str], out: Path) -> list[subprocess.Popen]:
    """Start one worker process per index (concurrency 1 each) and wait until each answers a ping."""
    workers = []
    for index in indexes:
        log = open(out / f"worker{index}.log", "w")
        command = [
            str(Path(sys.executable).parent / "celery"), "-A", "trackify", "worker", "-n", worker_name(index),
            "--concurrency", "1", "--pool", "prefork", "-Q", QUEUE, "--loglevel", "WARNING",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]
        workers.append(subprocess.Popen(command, env=env, cwd=out.parent.parent, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True))
    _wait_ready([worker_name(i) for i in indexes], env["CELERY_BROKER_URL"], workers)
    return workers


def _wait_ready(names: list[str], broker_url: str, workers: list[subprocess.Popen], timeout: float = 60) -> None:
    from celery import Celery

    app = Celery("bench-ping", broker=broker_url)
    deadline = time.monotonic() + timeout
    waiting = set(names)
    while waiting and time.monotonic() < deadline:
        if any(worker.poll() is not None for worker in workers):
            sys.exit("a Celery worker exited at start; see bench/out/worker*.log")
        for reply in app.control.ping(destination=sorted(waiting), timeout=1.0):
            waiting -= set(reply)
    if waiting:
        stop(workers)
        sys.exit(f"Celery workers did not answer within {timeout:.0f}s: {sorted(waiting)}")


def stop(workers: list[subprocess.Popen]) -> None:
    """Warm shutdown (the task in hand finishes), then a kill after 20 s."""
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def _connect(database_url: str):  # type: ignore[no-untyped-def]
    import psycopg2

    parts = urlsplit(database_url)
    connection = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                                  password=parts.password, dbname=parts.path.lstrip("/"))
    connection.autocommit = True
    return connection


def unapplied(database_url: str) -> int:
    """Stored events not applied yet (``received``, or ``failed`` and waiting for a retry)."""
    connection = _connect(database_url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM payments_paymentwebhookevent WHERE status IN ('received', 'failed')")
        (count,) = cursor.fetchone()
    connection.close()
    return int(count)


def wait_drained(env: dict[str, str], timeout: float) -> dict[str, Any]:
    """Wait until no stored event is left to apply; how many there were and how long it took."""
    started = time.monotonic()
    backlog = unapplied(env["DATABASE_URL"])
    left = backlog
    while left and time.monotonic() - started < timeout:
        time.sleep(0.2)
        left = unapplied(env["DATABASE_URL"])
    seconds = time.monotonic() - started
    return {"events": backlog, "seconds": round(seconds, 1), "left": left,
            "per_second": round((backlog - left) / seconds, 1) if seconds > 0 else 0.0}


def latencies(env: dict[str, str], out: Path, phase: str) -> dict[str, Any]:
    """Acknowledgement to applied, in ms, for every fresh event answered in this phase."""
    record = json.loads((out / f"{phase}.webhook.json").read_text())
    acked: dict[str, float] = record["acked"]
    connection = _connect(env["DATABASE_URL"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_id, EXTRACT(EPOCH FROM processed_at) FROM payments_paymentwebhookevent"
            " WHERE event_id = ANY(%s) AND status = 'processed'",
            [list(acked)],
        )
        applied = {event_id: float(at) for event_id, at in cursor.fetchall()}
    connection.close()
    waits = sorted(max(applied[e] - t, 0.0) * 1000 for e, t in acked.items() if e in applied)
    if not waits:
        return {"events": len(acked), "applied": 0, "p50": 0.0, "p99": 0.0, "max": 0.0}
    return {
        "events": len(acked),
        "applied": len(waits),
        "p50": round(statistics.median(waits), 1),
        "p99": round(waits[min(len(waits) - 1, int(len(waits) * 0.99))], 1),
        "max": round(waits[-1], 1),
    }
