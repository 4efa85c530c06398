"""Ping endpoint benchmark: prints figures (not a test).

    uv run --frozen python -m bench.heartbeats.ping [--pings 3000] [--heartbeats 100]

Starts the real API (uvicorn, its own process, on 127.0.0.1) over a fresh `bench_heartbeats`
database and `bench-ping-<random>.` topics, registers `--heartbeats` heartbeat monitors
through the REST API, then sends `--pings` pings one at a time (round robin over the tokens,
under each token's rate limit) and prints p50/p99/max, the load average, and the CPU time per
ping of the server process and of this client (CPU time does not depend on the machine's
load; latency on a shared 2-core machine does). The API answers once a ping is queued in its
producer, before the broker's ack (query_api/ping_delivery.py says what a 200 means). Topics
and database are removed at the end.
Needs Kafka and PostgreSQL (PULSECHECK_KAFKA_BOOTSTRAP, PULSECHECK_DATABASE_URL).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import time
import uuid
from dataclasses import dataclass

import httpx

from bench.query.api_latency import api_process
from bench.query.loading import fresh_database, prepare_topics
from pulsecheck.read_model.databases import drop_database
from pulsecheck.read_model.storage.accounts import create_account
from pulsecheck.read_model.storage.connection import connect
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.child_process_usage import cpu_seconds
from pulsecheck.testing.kafka import delete_topics_under

DATABASE = "bench_heartbeats"
TARGET_P99_MS = 5.0


async def _api_key(database_url: str) -> str:
    conn = await connect(database_url, autocommit=True)
    try:
        return (await create_account(conn, "bench-heartbeats")).api_key
    finally:
        await conn.close()


async def _tokens(client: httpx.AsyncClient, key: str, count: int) -> list[str]:
    tokens = []
    for n in range(count):
        created = await client.post(
            "/websites",
            json={"name": f"job {n}", "url": f"heartbeat://job-{n}"},
            headers={"Authorization": f"Bearer {key}"},
        )
        created.raise_for_status()
        tokens.append(created.json()["ping_token"])
    return tokens


@dataclass(frozen=True)
class Run:
    latencies_ms: list[float]
    server_cpu_seconds: float
    client_cpu_seconds: float
    load_before: float
    load_after: float


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _measure(base: str, server_pid: int, key: str, heartbeats: int, pings: int) -> Run:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        tokens = await _tokens(client, key, heartbeats)
        for token in tokens:  # warm: connections, the token map, the producer's metadata
            (await client.post(f"/ping/{token}/start")).raise_for_status()
        load_before = os.getloadavg()[0]
        server_cpu, client_cpu = cpu_seconds(server_pid), _own_cpu_seconds()
        latencies = []
        for n in range(pings):
            started = time.perf_counter()
            answer = await client.post(f"/ping/{tokens[n % len(tokens)]}", content=b"ok")
            latencies.append((time.perf_counter() - started) * 1000)
            answer.raise_for_status()
        server_cpu = cpu_seconds(server_pid) - server_cpu
        client_cpu = _own_cpu_seconds() - client_cpu
    return Run(latencies, server_cpu, client_cpu, load_before, os.getloadavg()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pings", type=int, default=3000)
    parser.add_argument("--heartbeats", type=int, default=100)
    args = parser.parse_args()
    # each token's bucket holds 60 pings a minute: stay under it
    if args.pings > args.heartbeats * 50:
        parser.error("--pings may be at most 50 per heartbeat")
    bootstrap = os.environ.get("PULSECHECK_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    server = os.environ.get("PULSECHECK_DATABASE_URL", "postgresql://127.0.0.1:15432/pulsecheck")
    prefix = f"bench-ping-{uuid.uuid4().hex[:8]}."
    topics = Topics(prefix)
    asyncio.run(prepare_topics(bootstrap, topics, 3))
    database_url = fresh_database(server, DATABASE)
    try:
        key = asyncio.run(_api_key(database_url))
        with api_process(database_url, bootstrap, prefix) as api:
            run = asyncio.run(_measure(api.base, api.pid, key, args.heartbeats, args.pings))
    finally:
        asyncio.run(delete_topics_under(bootstrap, prefix))
        drop_database(server, database_url)
    latencies = run.latencies_ms
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    verdict = "met" if cuts[98] <= TARGET_P99_MS else "MISSED"
    print(
        f"ping endpoint: {len(latencies)} sequential pings over {args.heartbeats} tokens: "
        f"p50 {cuts[49]:.2f} ms, p99 {cuts[98]:.2f} ms, max {max(latencies):.2f} ms "
        f"(target p99 <= {TARGET_P99_MS:g} ms: {verdict})"
    )
    # the server's figure is what the endpoint costs; the client's shares the same 2 cores
    print(
        f"CPU per ping: server {run.server_cpu_seconds / len(latencies) * 1000:.2f} ms, "
        f"this client {run.client_cpu_seconds / len(latencies) * 1000:.2f} ms; "
        f"load average (1 min) {run.load_before:.2f} before, {run.load_after:.2f} after, "
        f"on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
