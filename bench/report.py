"""The printed result of ``make bench``: one table of phases, the query counts, the in-process
profiles, acknowledgement to paid with real workers, each goal met or not, the database check."""

from __future__ import annotations

from typing import Any

GOAL_ACK_RATIO = 0.60  # webhook acknowledgement / minimal ingest, peak throughput
GOAL_ACK_P99_MS = 50  # webhook acknowledgement at half its peak
GOAL_PUBLIC_RATIO = 0.40  # public invoice view / bare view, throughput
GOAL_LIST_MS = 3.0  # owner's lists, in-process per page of 20
GOAL_PAID_P99_MS = 1000  # acknowledgement to invoice paid, 2 workers, half the acknowledgement peak

PATH_OF = {
    "BareView": "bare view", "MinimalIngest": "minimal ingest", "WebhookIngest": "webhook ingest",
    "PublicInvoice": "public invoice", "CreateSession": "create-session", "InvoiceList": "invoice list",
    "PaymentList": "payment list",
}


def mark(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def print_all(phases: list, queries: dict, in_process: dict, profiles: dict, verdict: dict, paid: dict, *,  # type: ignore[type-arg]
              bare: Any, minimal: list, webhook: list, webhook_half: Any, public: Any, public_half: Any,  # type: ignore[type-arg]
              elapsed: float, header: str) -> None:
    print()
    print(header)
    print()
    print("\n".join(_table(phases, queries, in_process)))
    print()
    print("ms in-process: one request through Django in the benchmark process (no HTTP, no load), best of 3 rounds.")
    print("SQL queries/request, counted in-process (CaptureQueriesContext), per case:")
    for path, counts in queries.items():
        print(f"  {path:<16} " + ", ".join(f"{label or 'one request'}: {n} (HTTP {status})" for label, n, status in counts))
    print()
    _profiles(profiles)
    _paid(paid)
    _goals(in_process, verdict, paid, bare=bare, minimal=minimal, webhook=webhook, webhook_half=webhook_half,
           public=public, public_half=public_half)
    print()
    print(f"database check: {'OK' if verdict['ok'] else 'FAILED'}: {verdict['summary']}")
    for problem in [*verdict.get("problems", []), *paid.get("problems", [])]:
        print(f"  - {problem}")


def _table(phases: list, queries: dict, in_process: dict) -> list[str]:  # type: ignore[type-arg]
    def q(path: str) -> str:
        counts = queries.get(path, [])
        return " / ".join(f"{n}" for _, n, _ in counts) if counts else ""

    header = (f"| {'path':<44} | {'users':>5} | {'target/s':>8} | {'req/s':>7} | {'p50 ms':>6} | {'p99 ms':>6} | "
              f"{'requests':>8} | {'failed':>6} | {'SQL queries/request':<19} | {'ms in-process':>13} |")
    lines = [header, "|" + "|".join("-" * len(cell) for cell in header.split("|")[1:-1]) + "|"]
    for p in phases:
        label = p.label + (" (ran out of events)" if p.extra.get("exhausted") else "")
        path = PATH_OF[p.user_class]
        lines.append(
            f"| {label:<44} | {p.users:>5} | {p.rate or '-':>8} | {p.rps:>7.1f} | {p.p50:>6.0f} | {p.p99:>6.0f} | "
            f"{p.requests:>8} | {p.failures:>6} | {q(path):<19} | {in_process.get(path, ''):>13} |"
        )
    return lines


def _profiles(profiles: dict) -> None:  # type: ignore[type-arg]
    print("Where the time goes in-process (bench.profile: cProfile, each function's own time charged to its part;")
    print("the profiler slows Python code more than the database, so the shares lean toward Python):")
    for path, found in profiles.items():
        parts = ", ".join(f"{part} {share:.0%}" for part, share in found["parts"].items() if share >= 0.01)
        print(f"  {path:<15} {found['ms_profiled']:>6.2f} ms profiled: {parts}")
    print()


def _paid(paid: dict) -> None:  # type: ignore[type-arg]
    backlog = paid.get("backlog")
    if backlog:
        print(f"Backlog left by the acknowledgement phases (no worker running): {backlog['events']} events applied by "
              f"2 workers in {backlog['seconds']} s ({backlog['per_second']} events/s)")
    for count in (1, 2):
        found = paid.get(count)
        if found:
            phase = found["phase"]
            print(f"Acknowledgement to invoice paid, {count} worker{'s' if count > 1 else ''}, deliveries at "
                  f"{phase.rate}/s (got {phase.rps:.1f}/s): p50 {found['p50']:.0f} ms, p99 {found['p99']:.0f} ms, "
                  f"max {found['max']:.0f} ms over {found['applied']} of {found['events']} events; "
                  f"the queue was empty again {found['drain']['seconds']} s after the phase")
    print()


def _goals(in_process: dict, verdict: dict, paid: dict, *, bare: Any, minimal: list, webhook: list,  # type: ignore[type-arg]
           webhook_half: Any, public: Any, public_half: Any) -> None:
    peak_min = max(minimal, key=lambda p: p.rps)
    peak_hook = max(webhook, key=lambda p: p.rps)
    ack_ratio = peak_hook.rps / peak_min.rps if peak_min.rps else 0
    public_ratio = public.rps / bare.rps if bare.rps else 0
    lists = {path: float(in_process.get(path) or 0) for path in ("invoice list", "payment list")}
    two = paid.get(2) or {"p99": float("inf")}
    print(f"webhook acknowledgement / minimal ingest (peak {peak_hook.rps:.1f} / {peak_min.rps:.1f} req/s): "
          f"{ack_ratio:.0%}   goal >= {GOAL_ACK_RATIO:.0%}: {mark(ack_ratio >= GOAL_ACK_RATIO)}")
    print(f"webhook acknowledgement p99 at half its peak: {webhook_half.p99:.0f} ms at {webhook_half.rps:.1f}/s   "
          f"goal < {GOAL_ACK_P99_MS} ms: {mark(webhook_half.p99 < GOAL_ACK_P99_MS)}")
    print(f"acknowledgement to invoice paid, 2 workers, p99: {two['p99']:.0f} ms   goal < {GOAL_PAID_P99_MS} ms: "
          f"{mark(two['p99'] < GOAL_PAID_P99_MS)}")
    print(f"public invoice / bare view ({public.rps:.1f} / {bare.rps:.1f} req/s): {public_ratio:.0%}   "
          f"goal >= {GOAL_PUBLIC_RATIO:.0%}: {mark(public_ratio >= GOAL_PUBLIC_RATIO)}   "
          f"(p99 at half its peak: {public_half.p99:.0f} ms at {public_half.rps:.1f}/s)")
    for path, ms in lists.items():
        print(f"{path}, page of 20, in-process: {ms:.2f} ms   goal <= {GOAL_LIST_MS} ms: {mark(0 < ms <= GOAL_LIST_MS)}")
    print(f"every event applied exactly once (database check): {mark(verdict['ok'] and not paid.get('problems'))}")
