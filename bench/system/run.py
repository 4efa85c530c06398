"""The whole system at scale: `scripts/run` with an isolated prefix, ports and database, the
prober bench's nginx fleet as targets, N monitors registered through the API, a steady window
observed on the system's own topics, and what every process used.

    uv run python -m bench.system.run --monitors 2000 --interval 60 --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg

from bench.prober import targets
from bench.prober.targets import start_fleet
from bench.system.alerts import (
    AlertProbe,
    alert_latencies_ms,
    register_alert_targets,
    start_alert_probe,
    switch_off_at,
)
from bench.system.chart import write_chart
from bench.system.infra_usage import find_pids, tree_cpu_seconds, tree_rss_mb
from bench.system.notifier_lag import lag_summary, sample_lag
from bench.system.observe import Observed, observe
from bench.system.read_probe import probe_reads
from bench.system.storage_size import uptime_storage
from e2e.running_system import ROOT, SERVICES, Isolation, RunningSystem, system_env
from pulsecheck.read_model.database_url import libpq_url
from pulsecheck.shared.settings import DatabaseSettings
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import delete_topics_under
from pulsecheck.testing.ports import free_port

Printer = Callable[..., None]
BATCH = 1000  # the API's largest batch
ALERT_TARGETS = 10
ADMIN = ["uv", "run", "--frozen", "pulsecheck-admin"]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monitors", type=int, default=2000)
    parser.add_argument("--interval", type=int, default=60)
    parser.add_argument("--https-share", type=float, default=0.1)
    parser.add_argument("--duration", type=int, default=600, help="steady window, seconds")
    parser.add_argument("--out", type=Path, default=Path("bench/system/out"))
    return parser.parse_args()


def _site(index: int, https_share: float, interval: int) -> dict[str, object]:
    # every tenth (by default) is HTTPS, spread evenly through the fleet
    https = https_share > 0 and index % round(1 / https_share) == 0
    url = (
        f"https://127.0.0.1:{targets.HTTPS_PORT}/m/{index}"
        if https
        else f"http://127.0.0.1:{targets.HTTP_PORT}/m/{index}"
    )
    return {"name": f"bench {index}", "url": url, "check_kinds": ["http"],
            "interval_seconds": interval, "timeout_seconds": 5}  # fmt: skip


def _account(system: RunningSystem, monitors: int) -> str:
    """A bench account allowed N monitors (and a few more for the alert targets): its API key."""

    def admin(*args: str) -> str:
        return subprocess.run([*ADMIN, *args], cwd=ROOT, env=system.env, capture_output=True,
                              text=True, timeout=60, check=True).stdout  # fmt: skip

    printed = admin("create-account", "bench")
    fields = dict(line.split(": ", 1) for line in printed.splitlines() if ": " in line)
    admin("set-limits", fields["account_id"], "--max-monitors", str(monitors + 100),
          "--min-interval-seconds", "1")  # fmt: skip
    return fields["api_key"]


async def _register(
    client: httpx.AsyncClient, count: int, https_share: float, interval: int
) -> float:
    started = time.monotonic()
    gate = asyncio.Semaphore(2)

    async def one(first: int) -> None:
        sites = [_site(i, https_share, interval) for i in range(first, min(count, first + BATCH))]
        async with gate:
            reply = await client.post("/websites:batch", json={"websites": sites})
            reply.raise_for_status()

    await asyncio.gather(*(one(first) for first in range(0, count, BATCH)))
    return time.monotonic() - started


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _report(
    args: argparse.Namespace, observed: Observed, window: float, end: float, print: Printer
) -> None:
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


async def _window(
    system: RunningSystem,
    key: str,
    args: argparse.Namespace,
    alerts: AlertProbe,
    topics: Topics,
    bootstrap: str,
) -> tuple[Observed, float, float, list[float], list[float], list[tuple[float, float]]]:
    """Register, settle, then observe the window with the read and alert probes alongside."""
    async with httpx.AsyncClient(base_url=system.url("query-api"), timeout=60,
                                 headers={"Authorization": f"Bearer {key}"}) as client:  # fmt: skip
        seconds = await _register(client, args.monitors, args.https_share, args.interval)
        print(f"registered {args.monitors} monitors in {seconds:.1f} s (batches of {BATCH})")
        await register_alert_targets(client, alerts)
    # every new monitor's first check is requested at once (30,000 of them took ~65 s to drain
    # at N=30,000): the window starts after that burst and the grid's first full pass
    start = time.time() + args.interval + 15
    end = start + args.duration
    observed = Observed()
    _, reads, off, lag = await asyncio.gather(
        observe(bootstrap, topics.checks_requested, topics.checks_completed, start, end, observed),
        probe_reads(system.url("query-api"), key, observed, end),
        switch_off_at(alerts, observed, start + args.duration / 3),
        sample_lag(system.url("notifier") + "/metrics", end),
    )
    return observed, start, end, reads, alert_latencies_ms(alerts, observed, off), lag


def main() -> None:
    args = _arguments()
    args.out.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []

    def say(*parts: object) -> None:
        line = " ".join(str(p) for p in parts)
        print(line, flush=True)
        lines.append(line)

    settings = DatabaseSettings()
    topics = Topics(prefix=f"bench{uuid.uuid4().hex[:8]}.")
    admin_url = libpq_url(settings.database_url)
    name = f"pulsecheck_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = f"{settings.database_url.rpartition('/')[0]}/{name}"
    # another engineer's prober bench may hold the fleet's fixed ports: take free ones then
    targets.HTTP_PORT, targets.HTTPS_PORT = free_port(), free_port()
    fleet = start_fleet()
    alerts = start_alert_probe(ALERT_TARGETS)
    work = Path(tempfile.mkdtemp(prefix="pulsecheck-system-bench-"))
    ca_file = work / "ca.pem"
    ca_file.write_text(fleet.ca_pem + alerts.ca.cert_pem.bytes().decode())
    isolation = Isolation(
        kafka_bootstrap=settings.kafka_bootstrap, database_url=database_url,
        topic_prefix=topics.prefix, run_dir=work / "run",
        ports={service: free_port() for service in SERVICES},
    )  # fmt: skip
    env = system_env(isolation, ca_file, {})
    # the bench's monitors run at --interval; only the alert targets run faster
    env["PULSECHECK_MIN_INTERVAL_SECONDS"] = "1"
    system = RunningSystem(env, isolation)
    infra = find_pids()
    try:
        say(f"system up in {system.up():.1f} s (logs in {system.log_dir})")
        key = _account(system, args.monitors)
        base = {s: tree_cpu_seconds(system.pid(s) or 0) for s in SERVICES}
        infra_base = {k: tree_cpu_seconds(pid) for k, pid in infra.items()}
        observed, start, end, reads, alerted, lag = asyncio.run(
            _window(system, key, args, alerts, topics, settings.kafka_bootstrap)
        )
        say(f"N={args.monitors} interval={args.interval}s https={args.https_share}"
            f" window={args.duration}s load average {os.getloadavg()}")  # fmt: skip
        _report(args, observed, args.duration, end, say)
        say(f"result-to-read p50 / p99  {_percentile(reads, 0.5):8.1f} / "
            f"{_percentile(reads, 0.99):.1f} ms ({len(reads)} sampled)")  # fmt: skip
        alert_p50, alert_p99 = _percentile(alerted, 0.5), _percentile(alerted, 0.99)
        say(f"alert p50 / p99           {alert_p50:8.1f} / {alert_p99:.1f} ms"
            f" ({len(alerted)}/{ALERT_TARGETS} alerted)")  # fmt: skip
        say(lag_summary(lag))
        completed = sum(observed.finished.values())
        total_cpu = 0.0
        for service in SERVICES:
            pid = system.pid(service) or 0
            used = tree_cpu_seconds(pid) - base[service]
            total_cpu += used
            say(f"{service:12s} cpu {used:8.1f} s   peak rss {tree_rss_mb(pid):7.1f} MiB")
        infra_cpu = 0.0
        for kind, pid in infra.items():
            used = tree_cpu_seconds(pid) - infra_base[kind]
            infra_cpu += used
            say(f"{kind:12s} cpu {used:8.1f} s   peak rss {tree_rss_mb(pid):7.1f} MiB (shared)")
        if completed:
            say(f"cpu per 1,000 checks: services {1000 * total_cpu / completed:.2f} s,"
                f" whole system {1000 * (total_cpu + infra_cpu) / completed:.2f} s")  # fmt: skip
        size = uptime_storage(libpq_url(database_url))
        per_day = args.monitors * 86_400 / args.interval
        heap, index = size.per_row(size.heap_bytes), size.per_row(size.index_bytes)
        say(f"stored results {size.rows}: heap {heap:.1f} B + indexes {index:.1f} B per result;"
            f" a day at N={args.monitors}: {per_day * (heap + index) / 1e9:.2f} GB")  # fmt: skip
        stem = args.out / f"system-{args.monitors}"
        write_chart(observed, start, end, f"PulseCheck, N={args.monitors} every {args.interval} s",
                    stem.with_suffix(".png"))  # fmt: skip
        stem.with_suffix(".txt").write_text("\n".join(lines) + "\n")
        say(f"chart {stem.with_suffix('.png')}, text {stem.with_suffix('.txt')}")
    finally:
        system.stop()
        fleet.stop()
        alerts.stop()
        asyncio.run(delete_topics_under(settings.kafka_bootstrap, topics.prefix))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
