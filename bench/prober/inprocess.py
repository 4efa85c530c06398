"""One benchmark run in this process: N checks against the fleet at a given concurrency.

Prints one JSON line. Run it pinned: `taskset -c 1 python bench/prober/inprocess.py ...`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pulsecheck.checks import ProbeContext, run_check
from pulsecheck.shared.events import CheckRequested
from pulsecheck.shared.target_safety import AllowList


def bench_request(url: str) -> CheckRequested:
    now = datetime.now(UTC)
    return CheckRequested(
        request_id="bench",
        monitor_id="bench",
        account_id="bench",
        kind="http",
        target=url,
        timeout_seconds=30,
        scheduled_for=now,
        deadline=now + timedelta(hours=1),
    )


async def drive(ctx: ProbeContext, url: str, checks: int, concurrency: int) -> dict[str, object]:
    request = bench_request(url)
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    remaining = checks

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            result = await run_check(request, ctx)
            latencies.append((time.perf_counter() - started) * 1000)
            outcomes[result.error.kind.value if result.error else result.outcome] += 1

    # a short sequential warm-up gives the unloaded latency the "added latency" is measured from
    for _ in range(50):
        await run_check(request, ctx)
    baseline_runs = []
    for _ in range(200):
        started = time.perf_counter()
        await run_check(request, ctx)
        baseline_runs.append((time.perf_counter() - started) * 1000)
    baseline = statistics.median(baseline_runs)

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    wall_before = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - wall_before
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    latencies.sort()
    p50 = latencies[len(latencies) // 2]
    p99 = latencies[int(len(latencies) * 0.99)]
    return {
        "checks_per_s": round(checks / wall, 1),
        "cpu_s_per_1000": round(cpu / checks * 1000, 3),
        "cpu_utilisation": round(cpu / wall, 2),
        "baseline_p50_ms": round(baseline, 2),
        "p50_ms": round(p50, 2),
        "p99_ms": round(p99, 2),
        "added_p50_ms": round(p50 - baseline, 2),
        "added_p99_ms": round(p99 - baseline, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "outcomes": dict(outcomes),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--ca-file", type=Path, required=True)
    parser.add_argument("--checks", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], default="uvloop")
    args = parser.parse_args()
    ctx = ProbeContext.build(
        region="bench",
        allow=AllowList.from_entries(["127.0.0.0/8"]),
        extra_ca_pem=args.ca_file.read_text(),
    )
    work = drive(ctx, args.url, args.checks, args.concurrency)
    if args.loop == "uvloop":
        import uvloop

        figures = uvloop.run(work)
    else:
        figures = asyncio.run(work)
    print(
        json.dumps({"url": args.url, "concurrency": args.concurrency, "loop": args.loop, **figures})
    )


if __name__ == "__main__":
    main()
