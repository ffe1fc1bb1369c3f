"""JSON log lines carry the request id: the request's own, and those of the tasks it enqueued."""

from __future__ import annotations

import copy
import io
import json
import logging.config
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from prometheus_client import CollectorRegistry, multiprocess

from core.background import enqueue
from payments.tests.background.processes import own_redis
from payments.tests.reliability.live_process import stop
from trackify import request_id
from trackify.tests.worker_tasks import log_a_line

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The settings' own logging with LOG_FORMAT=json, written to a buffer."""
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    logging.config.dictConfig(config)
    buffer = io.StringIO()
    (handler,) = logging.getLogger().handlers
    handler.setStream(buffer)  # type: ignore[attr-defined]
    try:
        yield buffer
    finally:
        logging.config.dictConfig(settings.LOGGING)


def records(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_the_request_id_sent_is_on_the_log_line_and_the_response(json_lines):
    response = Client().get("/api/no-such-thing/", HTTP_X_REQUEST_ID="lb-7f3a.21")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "lb-7f3a.21"
    (line,) = [r for r in records(json_lines) if r["message"].startswith("Not Found")]
    assert line["request_id"] == "lb-7f3a.21"
    assert line["level"] == "WARNING"
    assert line["logger"] == "django.request"
    assert "timestamp" in line


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["", "a" * 65, "abc\ndef", 'x" injected="y', "ünïcode"])
def test_an_unusable_request_id_is_replaced_by_a_new_one(json_lines, sent):
    response = Client().get("/api/no-such-thing/", HTTP_X_REQUEST_ID=sent)
    made = response["X-Request-ID"]
    assert made != sent and len(made) == 32 and int(made, 16) >= 0
    assert [r["request_id"] for r in records(json_lines) if r["message"].startswith("Not Found")] == [made]


@pytest.mark.django_db
def test_the_id_is_no_longer_current_once_the_response_is_closed():
    response = Client().get("/api/no-such-thing/", HTTP_X_REQUEST_ID="closed-1")
    assert response["X-Request-ID"] == "closed-1"
    assert request_id.get() != "closed-1"


def test_a_line_outside_any_request_says_so(json_lines):
    token = request_id.current.set(None)  # whatever an earlier test left in this thread
    try:
        logging.getLogger("trackify.tests").warning("between requests")
    finally:
        request_id.current.reset(token)
    assert records(json_lines)[-1]["request_id"] == "-"


def test_secrets_are_still_redacted_in_json(json_lines):
    logging.getLogger("trackify.tests").warning("charging with sk_test_51Habcdefghijklmnop")
    line = records(json_lines)[-1]
    assert "51Habcdefghijklmnop" not in json.dumps(line)
    assert "[redacted]" in line["message"]


@pytest.mark.django_db
def test_a_task_run_in_process_logs_with_the_id_of_the_request_that_enqueued_it(
    json_lines, django_capture_on_commit_callbacks
):
    token = request_id.current.set("req-eager-1")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(log_a_line, "hello")
        # The task ran and gave the request its id back.
        assert request_id.get() == "req-eager-1"
    finally:
        request_id.current.reset(token)
    (line,) = [r for r in records(json_lines) if r["message"] == "task says hello"]
    assert line["request_id"] == "req-eager-1"


def worker_env(tmp_path: Path, redis_url: str, queue: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR"}}
    env.update(
        DJANGO_SETTINGS_MODULE="trackify.settings_test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL=redis_url,
        LOG_FORMAT="json",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
        TEST_QUEUE=queue,
    )
    return env


PUBLISH = """
import django
django.setup()
import os
from trackify import request_id
from trackify.tests.worker_tasks import log_a_line
request_id.current.set("req-from-web-42")
log_a_line.apply_async(args=["from the worker"], queue=os.environ["TEST_QUEUE"])
"""


# A guard against a hung test, never a measured figure: the worker boots (Django, Celery, the
# broker connection) before it takes the task, slower on a busy machine; lines are polled for.
PATIENCE_SECONDS = 120


def wait_for_line(log: Path, process: subprocess.Popen, text: str, timeout: float = PATIENCE_SECONDS) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for raw in log.read_text(errors="replace").splitlines():
            if text in raw and raw.startswith("{"):
                line = json.loads(raw)
                if line.get("message") == text:
                    return line
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"no log line {text!r}:\n{log.read_text(errors='replace')}")


TASK = {"task": "trackify.tests.log_a_line"}


def wait_for_sample(directory: Path, name: str, timeout: float = PATIENCE_SECONDS, **labels: str) -> float:
    """A sample summed over the processes writing to ``directory``, once it is there."""
    deadline = time.monotonic() + timeout
    while True:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(directory))
        value = registry.get_sample_value(name, labels) or 0.0
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of this test's own: a shared Redis database could lose the task between
    publisher and worker."""
    with own_redis(tmp_path) as url:
        yield url


def test_a_real_worker_logs_the_task_with_the_enqueuing_request_id_and_counts_it(tmp_path, redis_url):
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = worker_env(tmp_path, redis_url, queue)
    (tmp_path / "prometheus").mkdir()
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "trackify", "worker", "--include", "trackify.tests.worker_tasks",
             "-Q", queue, "--concurrency", "1", "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        published = subprocess.run(
            [sys.executable, "-c", PUBLISH], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert published.returncode == 0, published.stderr
        line = wait_for_line(log, worker, "task says from the worker")
        # The task's latency is recorded once it has returned, just after its last line.
        ran = wait_for_sample(tmp_path / "prometheus", "trackify_task_duration_seconds_count", **TASK, state="SUCCESS")
        waited = wait_for_sample(tmp_path / "prometheus", "trackify_task_queue_wait_seconds_count", **TASK)
    finally:
        stop(worker)  # its whole group: SIGTERM, then SIGKILL if it has not gone
    assert line["request_id"] == "req-from-web-42"
    assert line["logger"] == "trackify.tests.worker"
    assert (ran, waited) == (1, 1)
