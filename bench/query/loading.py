"""Load phase: a fresh `bench_query` database, topics under a bench prefix, 10,000 monitors
and their history produced to Kafka, then projected by the real projector (measured)."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner

from bench.query.synthetic_events import BenchMonitor, History, events
from pulsecheck.projector.main import project
from pulsecheck.projector.metrics import ProjectorMetrics
from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.read_model.database_url import libpq_url, with_database
from pulsecheck.read_model.migrations.runner import upgrade
from pulsecheck.read_model.storage.accounts import create_account
from pulsecheck.read_model.storage.connection import connect
from pulsecheck.shared.events import MonitorRegistered, new_envelope
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.kafka.producer import EventProducer, build_producer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import leaders_elected
from pulsecheck.testing.waiting import wait_until

DATABASE = "bench_query"


@dataclass(frozen=True)
class Tenant:
    account_id: str
    api_key: str
    monitors: list[str]


def fresh_database(server_url: str, name: str = DATABASE) -> str:
    """Database `name` on the server, emptied (a run that crashed left it behind) and migrated."""
    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    url = with_database(server_url, name)
    upgrade(url)
    return url


async def create_tenants(database_url: str, accounts: int, monitors: int) -> list[Tenant]:
    conn = await connect(database_url, autocommit=True)
    tenants = []
    try:
        for n in range(accounts):
            created = await create_account(conn, f"bench-{n}")
            owned = [str(uuid.uuid4()) for _ in range(monitors // accounts)]
            tenants.append(Tenant(str(created.account_id), created.api_key, owned))
    finally:
        await conn.close()
    return tenants


async def publish_monitors(bootstrap: str, topics: Topics, tenants: list[Tenant]) -> None:
    producer = EventProducer.connect(bootstrap, "bench-query-monitors")
    await producer.start()
    try:
        envelopes = [
            new_envelope(
                MonitorRegistered(
                    monitor_id=monitor,
                    account_id=tenant.account_id,
                    name=f"Site {monitor[:8]}",
                    url=f"https://site-{monitor}.example/",
                    interval_seconds=60,
                ),
                source="bench/query",
                subject=monitor,
            )
            for tenant in tenants
            for monitor in tenant.monitors
        ]
        await producer.publish_many(topics.monitors, envelopes)
    finally:
        await producer.stop()


async def _produce_slice(bootstrap: str, topic: str, history: History) -> int:
    producer: AIOKafkaProducer = build_producer(bootstrap, "bench-query-results", linger_ms=20)
    await producer.start()
    try:
        partitions = sorted(await producer.partitions_for(topic))
        choose = DefaultPartitioner()
        partition_of: dict[str, int] = {}
        batches = {p: producer.create_batch() for p in partitions}
        pending = []
        sent = 0
        for key, value in events(history):
            partition = partition_of.get(key)
            if partition is None:
                partition = partition_of[key] = choose(key.encode(), partitions, partitions)
            raw_key = key.encode()
            if batches[partition].append(key=raw_key, value=value, timestamp=None) is None:
                batches[partition].close()
                pending.append(
                    await producer.send_batch(batches[partition], topic, partition=partition)
                )
                batches[partition] = producer.create_batch()
                batches[partition].append(key=raw_key, value=value, timestamp=None)
            sent += 1
            if len(pending) >= 64:
                await asyncio.gather(*pending)
                pending.clear()
        for partition, batch in batches.items():
            batch.close()
            pending.append(await producer.send_batch(batch, topic, partition=partition))
        await asyncio.gather(*pending)
        return sent
    finally:
        await producer.stop()


def _produce_worker(bootstrap: str, topic: str, history: History) -> int:
    return asyncio.run(_produce_slice(bootstrap, topic, history))


def produce_results(
    bootstrap: str, topic: str, tenants: list[Tenant], per_monitor: int, end: datetime,
    spacing: timedelta, processes: int = 2,
) -> tuple[int, float]:  # fmt: skip
    """(results produced, seconds): each process owns whole monitors, so per-key order holds."""
    monitors = [BenchMonitor(m, t.account_id) for t in tenants for m in t.monitors]
    slices = [
        History(monitors[i::processes], per_monitor, end, spacing, first_serial=i * 10**11)
        for i in range(processes)
    ]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        counts = pool.starmap(_produce_worker, [(bootstrap, topic, s) for s in slices])
    return sum(counts), time.perf_counter() - started


async def _positions(database_url: str, topic: str) -> int:
    async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as conn:
        cursor = await conn.execute(
            "SELECT coalesce(sum(next_offset), 0) FROM projection_positions WHERE topic = %s",
            (topic,),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0


@dataclass(frozen=True)
class ProjectionRun:
    records: int
    wall_seconds: float
    # from the first batch written to the last: without the consumer group's join
    steady_seconds: float


async def run_projector_until(
    settings: ProjectorSettings, topic: str, target: int, limit_seconds: float
) -> ProjectionRun:
    """Run the real projector until `topic`'s stored positions add up to `target`."""
    already = await _positions(settings.database_url, topic)
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(project(settings, stop, ProjectorMetrics()))
    first_progress: float | None = None
    done = already
    try:
        while done < target:
            if task.done():
                task.result()
                raise RuntimeError("the projector stopped early")
            if time.perf_counter() - started > limit_seconds:
                raise TimeoutError(f"projected {done - already} of {target - already}")
            await asyncio.sleep(0.25)
            done = await _positions(settings.database_url, topic)
            if first_progress is None and done > already:
                first_progress = time.perf_counter()
        finished = time.perf_counter()
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=60)
    return ProjectionRun(
        target - already, finished - started, finished - (first_progress or started)
    )


async def prepare_topics(bootstrap: str, topics: Topics, partitions: int) -> None:
    """Create the bench's topics and wait (at most 30 s) until every partition has a leader."""
    await ensure_topics(bootstrap, topics.specs(), partitions=partitions)
    names = [spec.name for spec in topics.specs()]
    await wait_until(
        lambda: leaders_elected(bootstrap, names), within=30, what="leaders", interval=0.25
    )
