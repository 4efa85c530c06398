"""The whole system at scale: `scripts/run` with an isolated prefix, ports and database, the
prober bench's nginx fleet as targets, N monitors registered through the API, a steady window
observed on the system's own topics, and what every process used.

    uv run python -m bench.system.run --monitors 2000 --interval 60 --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg

from bench.prober.targets import HTTP_PORT, HTTPS_PORT, start_fleet
from bench.system.observe import Observed, observe
from bench.system.storage_size import uptime_storage
from e2e.pulsecheck_api import create_account
from e2e.running_system import SERVICES, Isolation, RunningSystem, system_env
from pulsecheck.read_model.database_url import libpq_url
from pulsecheck.shared.settings import DatabaseSettings
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.child_process_usage import cpu_seconds, peak_rss_mb
from pulsecheck.testing.kafka import delete_topics_under
from pulsecheck.testing.ports import free_port

REGISTER_CONCURRENCY = 32


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monitors", type=int, default=2000)
    parser.add_argument("--interval", type=int, default=60)
    parser.add_argument("--https-share", type=float, default=0.1)
    parser.add_argument("--duration", type=int, default=600, help="steady window, seconds")
    return parser.parse_args()


def _site(index: int, https_share: float, interval: int) -> dict[str, object]:
    # every tenth (by default) is HTTPS, spread evenly through the fleet
    https = https_share > 0 and index % round(1 / https_share) == 0
    url = (
        f"https://127.0.0.1:{HTTPS_PORT}/m/{index}"
        if https
        else f"http://127.0.0.1:{HTTP_PORT}/m/{index}"
    )
    return {"name": f"bench {index}", "url": url, "check_kinds": ["http"],
            "interval_seconds": interval, "timeout_seconds": 5}  # fmt: skip


async def _register(
    base_url: str, key: str, count: int, https_share: float, interval: int
) -> float:
    started = time.monotonic()
    gate = asyncio.Semaphore(REGISTER_CONCURRENCY)
    async with httpx.AsyncClient(
        base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30
    ) as client:

        async def one(index: int) -> None:
            async with gate:
                reply = await client.post("/websites", json=_site(index, https_share, interval))
                reply.raise_for_status()

        await asyncio.gather(*(one(i) for i in range(count)))
    return time.monotonic() - started


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _report(args: argparse.Namespace, observed: Observed, window: float, end: float) -> None:
    demand = args.monitors / args.interval
    # a request scheduled in the last interval may still be running when the window closes
    settled = {r for r, at in observed.scheduled.items() if at < end - args.interval}
    missing = [r for r in settled if observed.finished[r] == 0]
    print(f"schedule demands        {demand:10.1f} checks/s")
    print(f"requested               {sum(observed.requested.values()) / window:10.1f} /s")
    print(f"completed               {sum(observed.finished.values()) / window:10.1f} /s")
    print(f"skipped                 {observed.skipped / window:10.1f} /s")
    twice_requested = sum(1 for n in observed.requested.values() if n > 1)
    twice_finished = sum(1 for n in observed.finished.values() if n > 1)
    print(f"duplicate request ids   {twice_requested:10d} requested, {twice_finished} completed")
    print(f"missing request ids     {len(missing):10d} of {len(settled)} settled")
    print(f"drift p50 / p99         {_percentile(observed.drift_ms, 0.5):10.1f}"
          f" / {_percentile(observed.drift_ms, 0.99):.1f} ms")  # fmt: skip


def main() -> None:
    args = _arguments()
    settings = DatabaseSettings()
    topics = Topics(prefix=f"bench{uuid.uuid4().hex[:8]}.")
    admin_url = libpq_url(settings.database_url)
    name = f"pulsecheck_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = f"{settings.database_url.rpartition('/')[0]}/{name}"
    fleet = start_fleet()
    work = Path(tempfile.mkdtemp(prefix="pulsecheck-system-bench-"))
    ca_file = work / "ca.pem"
    ca_file.write_text(fleet.ca_pem)
    isolation = Isolation(
        kafka_bootstrap=settings.kafka_bootstrap, database_url=database_url,
        topic_prefix=topics.prefix, run_dir=work / "run",
        ports={service: free_port() for service in SERVICES},
    )  # fmt: skip
    system = RunningSystem(system_env(isolation, ca_file, {}), isolation)
    try:
        print(f"system up in {system.up():.1f} s (logs in {system.log_dir})")
        key = create_account(system, "bench")
        base = {s: (cpu_seconds(system.pid(s) or 0)) for s in SERVICES}
        seconds = asyncio.run(
            _register(system.url("query-api"), key, args.monitors, args.https_share, args.interval)
        )
        print(f"registered {args.monitors} monitors in {seconds:.1f} s")
        start = time.time() + 5
        end = start + args.duration
        observed = asyncio.run(
            observe(settings.kafka_bootstrap, topics.checks_requested, topics.checks_completed,
                    start, end)
        )  # fmt: skip
        _report(args, observed, args.duration, end)
        completed = sum(observed.finished.values())
        total_cpu = 0.0
        for service in SERVICES:
            pid = system.pid(service) or 0
            used = cpu_seconds(pid) - base[service]
            total_cpu += used
            print(f"{service:12s} cpu {used:8.1f} s   peak rss {peak_rss_mb(pid):7.1f} MiB")
        if completed:
            print(f"cpu per 1,000 checks (services) {1000 * total_cpu / completed:.2f} s")
        size = uptime_storage(libpq_url(database_url))
        per_day = args.monitors * 86_400 / args.interval
        heap, index = size.per_row(size.heap_bytes), size.per_row(size.index_bytes)
        print(f"stored results {size.rows}: heap {heap:.1f} B + indexes {index:.1f} B per result;"
              f" a day at N={args.monitors}: {per_day * (heap + index) / 1e9:.2f} GB")  # fmt: skip
    finally:
        system.stop()
        fleet.stop()
        asyncio.run(delete_topics_under(settings.kafka_bootstrap, topics.prefix))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
