"""The production shape in processes of its own, for the fault tests: a Redis server on a free
port (stopped and started again at will), a gunicorn web server and Celery workers, all on the
test's PostgreSQL database, so the test can kill and restart any of them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from django.db import connection

from payments.tests.reliability.live_process import (
    ROOT,
    ReservedPort,
    gunicorn,
    reserved_port,
    spawn,
    stop,
    wait_until_serving,
)

# A guard against a hung test, never a measured figure: conditions are polled until they hold.
PATIENCE_SECONDS = 120


def wait_for(condition: Callable[[], Any], what: str, logs: tuple[Path, ...] = ()) -> Any:
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    output = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}" for log in logs if log.exists())
    raise AssertionError(f"never happened: {what}\n{output}")


class RedisServer:
    """``redis-server`` on its own port, without persistence: ``stop()`` loses every message.

    The port stays reserved from creation to ``close()``, so nothing else can take it while the
    server is stopped and ``start()`` finds it free again."""

    def __init__(self, tmp_path: Path) -> None:
        self._reservation = ReservedPort()
        self.port = self._reservation.port
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = tmp_path / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        client = redis.Redis.from_url(self.url)
        wait_for(lambda: self._answers(client), "redis-server answers PING", (self.log,))

    @staticmethod
    def _answers(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None

    def close(self) -> None:
        self.stop()
        self._reservation.release()


@contextmanager
def own_redis(tmp_path: Path) -> Iterator[str]:
    """A redis-server of the test's own for its whole length (no Redis database shared with
    another run, or with this run's cache, which each test empties); yields its URL."""
    server = RedisServer(tmp_path)
    try:
        server.start()
        yield server.url
    finally:
        server.close()


def process_env(redis_url: str, **extra: str) -> dict[str, str]:
    """The test settings on the test's own database, with this Redis as cache and broker."""
    database = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="trackify.settings_test",
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}",
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        # A message whose worker died is delivered again after this many seconds.
        CELERY_VISIBILITY_TIMEOUT="3",
        WEBHOOK_SWEEP_AFTER_SECONDS="0",
        WEBHOOK_RETRY_BACKOFF_SECONDS="0.2",
        WEBHOOK_MAX_ATTEMPTS="3",
    )
    env.update(extra)
    return env


class Worker:
    """``celery -A trackify worker`` (one process, the solo pool), killed with its whole group."""

    count = 0

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        Worker.count += 1
        self.log = tmp_path / f"worker-{Worker.count}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "trackify", "worker", "--pool", "solo", "--loglevel", "INFO",
            "--without-heartbeat", "--without-mingle", "--without-gossip", "--hostname", f"w{Worker.count}@%h",
        ]  # fmt: skip
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        # Celery's own line once it consumes ("w1@host ready."); a bare "ready" would also match
        # an earlier line that says "already".
        wait_for(lambda: re.search(r"@\S+ ready\.", self.output()), "the worker is ready", (self.log,))

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def has_run(self, task_id: str) -> bool:
        """Whether this worker has finished the task (Celery logs "Task name[id] succeeded")."""
        return f"[{task_id}] succeeded" in self.output()

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no acknowledgement, whatever it was doing."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        stop(self.process)


@contextmanager
def web_server(tmp_path: Path, env: dict[str, str]) -> Iterator[str]:
    log = tmp_path / "web.log"
    with reserved_port() as port:
        process = spawn(gunicorn(workers=2), port, {**env, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}, log)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(url, process, log)
            yield url
        finally:
            stop(process)


def celery_call(env: dict[str, str], task: str) -> str:
    """Send a task as beat would (``celery call``), through the broker; returns its id."""
    done = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "trackify", "call", task],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()[-1]
