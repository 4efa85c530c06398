"""Ping endpoint benchmark: prints figures (not a test).

    uv run --frozen python -m bench.heartbeats.ping [--pings 3000] [--heartbeats 100]
        [--client lean|httpx]

Starts the real API (uvicorn, its own process, on 127.0.0.1) over a fresh `bench_heartbeats`
database and `bench-ping-<random>.` topics, registers `--heartbeats` heartbeat monitors
through the REST API, then sends `--pings` pings one at a time (round robin over the tokens,
under each token's rate limit) over one keep-alive connection (`--client httpx` for httpx, as
before: lean_client.py says why not by default) and prints p50/p99/max, the load average, the
CPU time per ping of the server process and of this client (CPU time does not depend on the
machine's load; latency on a shared 2-core machine does), and how many pings the app's own
request histogram saw answered within 1, 2.5 and 5 ms. The API answers once a ping is queued
in its producer, before the broker's ack (query_api/ping_delivery.py says what a 200 means).
Topics and database are removed at the end.
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
from urllib.parse import urlsplit

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bench.heartbeats.lean_client import LeanClient
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
    # the app's own request histogram over the timed pings: bucket bound (s) -> pings within
    inside_app: dict[float, float]


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _ping_buckets(client: httpx.AsyncClient) -> dict[float, float]:
    """The app's request histogram for `POST /ping/{token}` answered 200: bound -> count."""
    metrics = (await client.get("/metrics")).text
    wanted = {"method": "POST", "route": "/ping/{token}", "status": "200"}
    return {
        float(sample.labels["le"]): sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == "pulsecheck_api_request_seconds_bucket"
        and all(sample.labels.get(name) == value for name, value in wanted.items())
    }


async def _timed_pings(base: str, tokens: list[str], pings: int, lean: bool) -> list[float]:
    latencies = []
    if lean:
        url = urlsplit(base)
        async with LeanClient(url.hostname or "127.0.0.1", url.port or 80) as client:
            for n in range(pings):
                started = time.perf_counter()
                status, _ = await client.post(f"/ping/{tokens[n % len(tokens)]}", b"ok")
                latencies.append((time.perf_counter() - started) * 1000)
                assert status == 200, status
        return latencies
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for n in range(pings):
            started = time.perf_counter()
            answer = await client.post(f"/ping/{tokens[n % len(tokens)]}", content=b"ok")
            latencies.append((time.perf_counter() - started) * 1000)
            answer.raise_for_status()
    return latencies


async def _measure(
    base: str, server_pid: int, key: str, heartbeats: int, pings: int, lean: bool
) -> Run:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        tokens = await _tokens(client, key, heartbeats)
        for token in tokens:  # warm: connections, the token map, the producer's metadata
            (await client.post(f"/ping/{token}/start")).raise_for_status()
        buckets_before = await _ping_buckets(client)
        load_before = os.getloadavg()[0]
        server_cpu, client_cpu = cpu_seconds(server_pid), _own_cpu_seconds()
        latencies = await _timed_pings(base, tokens, pings, lean)
        server_cpu = cpu_seconds(server_pid) - server_cpu
        client_cpu = _own_cpu_seconds() - client_cpu
        load_after = os.getloadavg()[0]
        buckets = await _ping_buckets(client)
    inside = {le: count - buckets_before.get(le, 0.0) for le, count in buckets.items()}
    return Run(latencies, server_cpu, client_cpu, load_before, load_after, inside)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pings", type=int, default=3000)
    parser.add_argument("--heartbeats", type=int, default=100)
    parser.add_argument(
        "--client",
        choices=("lean", "httpx"),
        default="lean",
        help="who sends the timed pings: one raw keep-alive connection, or httpx (the earlier"
        " figures' client, which costs twice the server's CPU per ping)",
    )
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
            lean = args.client == "lean"
            run = asyncio.run(_measure(api.base, api.pid, key, args.heartbeats, args.pings, lean))
    finally:
        asyncio.run(delete_topics_under(bootstrap, prefix))
        drop_database(server, database_url)
    latencies = run.latencies_ms
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    verdict = "met" if cuts[98] <= TARGET_P99_MS else "MISSED"
    print(
        f"ping endpoint: {len(latencies)} sequential pings over {args.heartbeats} tokens "
        f"({args.client} client): p50 {cuts[49]:.2f} ms, p99 {cuts[98]:.2f} ms, "
        f"max {max(latencies):.2f} ms (target p99 <= {TARGET_P99_MS:g} ms: {verdict})"
    )
    # the server's figure is what the endpoint costs; the client's shares the same 2 cores
    print(
        f"CPU per ping: server {run.server_cpu_seconds / len(latencies) * 1000:.2f} ms, "
        f"this client {run.client_cpu_seconds / len(latencies) * 1000:.2f} ms; "
        f"load average (1 min) {run.load_before:.2f} before, {run.load_after:.2f} after, "
        f"on {os.cpu_count()} CPUs"
    )
    # from request parsed to answer sent, by the app's own clock: no client, no HTTP parsing
    within = ", ".join(
        f"{count / len(latencies):.1%} <= {le * 1000:g} ms"
        for le, count in sorted(run.inside_app.items())
        if le in (0.001, 0.0025, 0.005)
    )
    print(f"inside the app (its request histogram): {within}")


if __name__ == "__main__":
    main()
