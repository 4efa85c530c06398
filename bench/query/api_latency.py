"""Read phase: the real API (uvicorn, its own process) on 127.0.0.1, timed from an httpx
client: one request at a time for latency, then 50 concurrent clients for throughput."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import psycopg

from pulsecheck.read_model.database_url import libpq_url
from pulsecheck.read_model.pagination import CursorPosition, encode_cursor
from pulsecheck.testing.ports import free_port
from pulsecheck.testing.sealing_keys import run_keys

PAGE = 50


@dataclass(frozen=True)
class Target:
    """One request a user could make: path, query and the key of the monitor's account."""

    path: str
    params: dict[str, str]
    api_key: str


@dataclass(frozen=True)
class Timing:
    count: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]


@dataclass(frozen=True)
class ServedApi:
    base: str
    pid: int  # for the CPU time it used (pulsecheck.testing.child_process_usage)


@contextmanager
def served_api(database_url: str, bootstrap: str, prefix: str) -> Iterator[str]:
    """`pulsecheck-query-api` as deployed (one uvicorn process), stopped on exit."""
    with api_process(database_url, bootstrap, prefix) as api:
        yield api.base


@contextmanager
def api_process(database_url: str, bootstrap: str, prefix: str) -> Iterator[ServedApi]:
    """`served_api`, with the server's process id."""
    port = free_port()
    keys = run_keys()  # the API refuses to start without public sealing keys
    env = {
        **os.environ,
        "PULSECHECK_DATABASE_URL": database_url,
        "PULSECHECK_KAFKA_BOOTSTRAP": bootstrap,
        "PULSECHECK_TOPIC_PREFIX": prefix,
        "PULSECHECK_API_HOST": "127.0.0.1",
        "PULSECHECK_API_PORT": str(port),
        "PULSECHECK_LOG_LEVEL": "WARNING",
        "PULSECHECK_SEALING_PUBLIC_KEYS": keys.channel_public,
        "PULSECHECK_HEADER_SEALING_PUBLIC_KEYS": keys.header_public,
    }
    command = [sys.executable, "-c", "from pulsecheck.query_api.main import main; main()"]
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the API did not become ready")
            time.sleep(0.2)
        yield ServedApi(base, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def deep_cursors(database_url: str, table: str, monitors: list[str]) -> dict[str, str]:
    """Per monitor, a cursor whose next page is the oldest rows it has (as deep as it gets)."""
    cursors = {}
    with psycopg.connect(libpq_url(database_url)) as conn:
        for monitor in monitors:
            # a monitor with fewer than two pages gets the cursor of its middle row
            row = conn.execute(
                f"SELECT checked_at, id FROM {table} WHERE monitor_id = %(m)s"
                " ORDER BY checked_at, id OFFSET least(%(page)s,"
                f" (SELECT count(*) / 2 FROM {table} WHERE monitor_id = %(m)s)) LIMIT 1",
                {"m": monitor, "page": PAGE},
            ).fetchone()
            if row is not None:
                cursors[monitor] = encode_cursor(CursorPosition(row[0], str(row[1])))
    return cursors


def _summary(latencies: list[float], seconds: float, statuses: dict[int, int]) -> Timing:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return Timing(len(latencies), seconds, cuts[49] * 1000, cuts[98] * 1000, statuses)


async def _timed(client: httpx.AsyncClient, target: Target, statuses: dict[int, int]) -> float:
    started = time.perf_counter()
    response = await client.get(
        target.path, params=target.params, headers={"Authorization": f"Bearer {target.api_key}"}
    )
    elapsed = time.perf_counter() - started
    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    return elapsed


async def one_at_a_time(base: str, targets: list[Target], requests: int) -> Timing:
    statuses: dict[int, int] = {}
    rng = random.Random(1)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for target in targets[:50]:  # warm connections, caches and code paths
            await _timed(client, target, {})
        started = time.perf_counter()
        latencies = [await _timed(client, rng.choice(targets), statuses) for _ in range(requests)]
    return _summary(latencies, time.perf_counter() - started, statuses)


async def concurrent(base: str, targets: list[Target], clients: int, seconds: float) -> Timing:
    """`clients` clients, each one request after another, for `seconds`: requests/s."""
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def user(seed: int) -> None:
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                latencies.append(await _timed(client, rng.choice(targets), statuses))

        await asyncio.gather(*(user(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    return _summary(latencies, elapsed, statuses)
