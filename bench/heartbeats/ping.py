"""Ping endpoint benchmark: prints figures (not a test).

    uv run --frozen python -m bench.heartbeats.ping [--pings 3000] [--heartbeats 100]

Starts the real API (uvicorn, its own process, on 127.0.0.1) over a fresh `bench_heartbeats`
database and `bench-ping-<random>.` topics, registers `--heartbeats` heartbeat monitors
through the REST API, then sends `--pings` pings one at a time (round robin over the tokens,
under each token's rate limit) and prints p50/p99/max. The API answers once a ping is queued
in its producer, before the broker's ack (query_api/ping_delivery.py says what a 200
means). Topics and database are removed at the end.
Needs Kafka and PostgreSQL (PULSECHECK_KAFKA_BOOTSTRAP, PULSECHECK_DATABASE_URL).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid

import httpx

from bench.query.api_latency import served_api
from bench.query.loading import fresh_database, prepare_topics
from pulsecheck.read_model.databases import drop_database
from pulsecheck.read_model.storage.accounts import create_account
from pulsecheck.read_model.storage.connection import connect
from pulsecheck.shared.topics import Topics
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


async def _measure(base: str, key: str, heartbeats: int, pings: int) -> list[float]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        tokens = await _tokens(client, key, heartbeats)
        for token in tokens:  # warm: connections, the token map, the producer's metadata
            (await client.post(f"/ping/{token}/start")).raise_for_status()
        latencies = []
        for n in range(pings):
            started = time.perf_counter()
            answer = await client.post(f"/ping/{tokens[n % len(tokens)]}", content=b"ok")
            latencies.append((time.perf_counter() - started) * 1000)
            answer.raise_for_status()
    return latencies


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
        with served_api(database_url, bootstrap, prefix) as base:
            latencies = asyncio.run(_measure(base, key, args.heartbeats, args.pings))
    finally:
        asyncio.run(delete_topics_under(bootstrap, prefix))
        drop_database(server, database_url)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    verdict = "met" if cuts[98] <= TARGET_P99_MS else "MISSED"
    print(
        f"ping endpoint: {len(latencies)} sequential pings over {args.heartbeats} tokens: "
        f"p50 {cuts[49]:.2f} ms, p99 {cuts[98]:.2f} ms, max {max(latencies):.2f} ms "
        f"(target p99 <= {TARGET_P99_MS:g} ms: {verdict})"
    )


if __name__ == "__main__":
    main()
