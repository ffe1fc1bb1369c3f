"""Where a request's time goes, in-process: ``python -m bench.profile OUT [path ...]``.

Runs each read path (the public invoice view, the owner's invoice list and payment list, the
bare view) many times through Django's test client under ``cProfile`` against the benchmark
database (after ``bench.seed`` wrote ``OUT/fixture.json``), then attributes each function's own
time to the part of the stack its source file belongs to: the ORM building and compiling
queries and making objects, the database driver (including the wait for PostgreSQL), DRF,
Django's request handling and middleware, token authentication, JSON, our own code.

Prints one JSON object ``{path: {"ms": per request, "parts": {part: share}}}`` that
``bench.run`` adds to its report, and with ``--top N`` the N costliest functions per path on
standard error.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

import django

# Checked in order: the first fragment found in a function's file names its part.
PARTS = (
    ("/knox/", "token authentication"),
    ("/django/db/backends/", "database driver and round trip"),
    ("psycopg", "database driver and round trip"),
    ("/django/db/models/", "ORM: build, compile, make objects"),
    ("/django/db/", "ORM: build, compile, make objects"),
    ("/rest_framework/serializers.py", "DRF serialization"),
    ("/rest_framework/fields.py", "DRF serialization"),
    ("/rest_framework/relations.py", "DRF serialization"),
    ("/rest_framework/utils/serializer_helpers.py", "DRF serialization"),
    ("/rest_framework/", "DRF view, request, rendering"),
    ("/drf_spectacular/", "DRF view, request, rendering"),
    ("json", "JSON encoding"),
    ("/django/", "Django request handling and middleware"),
    ("/csp/", "Django request handling and middleware"),
    ("/whitenoise/", "Django request handling and middleware"),
    ("/corsheaders/", "Django request handling and middleware"),
    ("/decimal", "decimal arithmetic"),
)
APP = ("/payments/", "/invoices/", "/core/", "/accounts/", "/trackify/", "/bench/")


def part_of(filename: str, name: str = "") -> str | None:
    """The part a function belongs to; None for the standard library and built-ins, whose
    time is charged to whoever called them (a ``deepcopy`` DRF asked for is DRF's time)."""
    if "psycopg" in name:
        return "database driver and round trip"
    for fragment, part in PARTS:
        if fragment in filename:
            return part
    if any(fragment in filename for fragment in APP) and "site-packages" not in filename:
        return "our code"
    if "/django/test/" in filename or "/site-packages/" in filename:
        return "other libraries (test client)"
    return None


def _charge(stats: dict, key: tuple, seconds: float, parts: dict[str, float], depth: int = 0) -> None:
    """Add ``seconds`` spent in ``key`` to its part, or share them among its callers."""
    filename, _line, name = key
    part = part_of(filename, name)
    callers = stats[key][4]
    if part is None and callers and depth < 12:
        spent = sum(timing[2] for timing in callers.values()) or 1.0
        for caller, timing in callers.items():
            if caller in stats:
                _charge(stats, caller, seconds * timing[2] / spent, parts, depth + 1)
        return
    part = part or "Python built-ins and standard library"
    parts[part] = parts.get(part, 0.0) + seconds


def profile(call, rounds: int, top: int, label: str) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(5):  # warm: connection, URL resolver, caches of compiled regexes
        call()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(rounds):
        call()
    profiler.disable()
    elapsed = (time.perf_counter() - started) * 1000 / rounds
    stats = pstats.Stats(profiler)
    parts: dict[str, float] = {}
    total = 0.0
    raw = stats.stats  # type: ignore[attr-defined]
    for key, (_cc, _nc, tottime, _ct, _callers) in raw.items():
        _charge(raw, key, tottime, parts)
        total += tottime
    if top:
        print(f"--- {label}: {elapsed:.2f} ms/request under the profiler", file=sys.stderr)
        stats.stream = sys.stderr  # type: ignore[attr-defined]
        stats.sort_stats("tottime").print_stats(top)
    shares = {part: round(seconds / total, 3) for part, seconds in sorted(parts.items(), key=lambda kv: -kv[1])}
    return {"ms_profiled": round(elapsed, 2), "parts": shares}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("paths", nargs="*", default=["bare view", "public invoice", "invoice list", "payment list"])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.test import Client

    fixture = json.loads((args.out / "fixture.json").read_text())
    reserved = fixture["reserved"]
    client = Client(HTTP_HOST="127.0.0.1")
    owner = {"HTTP_AUTHORIZATION": f"Token {fixture['token']}"}
    public_key = reserved["history_public"][2]  # the link's id: 2 items, 3 payments, 1 refund
    history = reserved["history_invoices"][3]
    calls = {
        "bare view": lambda: client.get("/bench/bare/"),
        "public invoice": lambda: client.get(f"/api/payment/public/invoice/{public_key}/"),
        "invoice list": lambda: client.get("/api/invoices/", **owner),
        "payment list": lambda: client.get(f"/api/payment/invoice/{history}/payments/", **owner),
    }
    result = {label: profile(calls[label], args.rounds, args.top, label) for label in args.paths}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
