"""`pulsecheck-projector [--rebuild]`: keep the read model in step with the topics."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import time
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer
from prometheus_client import generate_latest

from pulsecheck.projector.database import Database
from pulsecheck.projector.metrics import ProjectorMetrics
from pulsecheck.projector.rebuild import rebuild
from pulsecheck.projector.retention import delete_expired_results, retention_cutoff
from pulsecheck.projector.service import (
    Projector,
    SeekToStoredPositions,
    projected_topics,
)
from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.projector.writer import prepare_staging
from pulsecheck.read_model.storage.connection import Connection, connect
from pulsecheck.shared.health import HealthServer, Verdict
from pulsecheck.shared.kafka.producer import build_producer
from pulsecheck.shared.logs import configure_logging

log = logging.getLogger("pulsecheck.projector")

RETENTION_EVERY_SECONDS = 3600.0


def consumer_group(settings: ProjectorSettings) -> str:
    return f"{settings.topic_prefix}pulsecheck-projector"


def build_consumer(settings: ProjectorSettings) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=consumer_group(settings),
        client_id="pulsecheck-projector",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=8 * 1024 * 1024,
        # find moved partition leaders quickly instead of after the 5-minute default
        metadata_max_age_ms=10_000,
    )


async def project(
    settings: ProjectorSettings,
    stop: asyncio.Event,
    metrics: ProjectorMetrics,
    running: asyncio.Event | None = None,
) -> None:
    """Run the live projector until `stop` is set."""
    topics = settings.topics()

    async def ready_connection() -> Connection:
        conn = await connect(settings.database_url, autocommit=True)
        await prepare_staging(conn)
        return conn

    # a PostgreSQL outage pauses the projector (retried with backoff) instead of ending it
    db = Database(ready_connection, stop)
    consumer = build_consumer(settings)
    producer = build_producer(settings.kafka_bootstrap, "pulsecheck-projector-deadletters")
    await producer.start()
    await consumer.start()
    projector = Projector(
        db, consumer, topics, metrics, producer,
        settings.projector_batch_size, settings.projector_batch_wait_ms,
    )  # fmt: skip
    listener = SeekToStoredPositions(consumer, db, projector.settle)
    consumer.subscribe(projected_topics(topics), listener=listener)
    if running is not None:
        running.set()
    next_retention = 0.0

    async def idle() -> None:
        nonlocal next_retention
        if time.monotonic() >= next_retention:
            cutoff = retention_cutoff(datetime.now(UTC), settings.raw_retention_days)
            deleted = await db.run(lambda conn: delete_expired_results(conn, cutoff))
            log.info("raw results expired", extra={"deleted": deleted})
            next_retention = time.monotonic() + RETENTION_EVERY_SECONDS

    try:
        await projector.run(stop, idle)
    finally:
        await consumer.stop()
        await producer.stop()
        await db.close()


async def _main(args: argparse.Namespace) -> None:
    settings = ProjectorSettings()
    configure_logging("pulsecheck.projector", settings.log_level)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    metrics = ProjectorMetrics()
    running = asyncio.Event()

    async def status() -> Verdict:
        return running.is_set() and not stop.is_set(), {"group": consumer_group(settings)}

    health = HealthServer(
        settings.health_host,
        settings.health_port,
        liveness=status,
        readiness=status,
        exposition=lambda: generate_latest(metrics.registry),
    )
    await health.start()
    try:
        await _project_or_rebuild(args, settings, stop, metrics, running)
    finally:
        await health.stop()


async def _project_or_rebuild(
    args: argparse.Namespace,
    settings: ProjectorSettings,
    stop: asyncio.Event,
    metrics: ProjectorMetrics,
    running: asyncio.Event,
) -> None:
    if args.rebuild:
        async with contextlib.AsyncExitStack() as stack:
            conn = await connect(settings.database_url, autocommit=True)
            stack.push_async_callback(conn.close)
            read = await rebuild(
                conn, settings.kafka_bootstrap, settings.topics(),
                settings.projector_batch_size, datetime.now(UTC),
            )  # fmt: skip
            log.info("rebuild switched over", extra={"records": read})
        if args.exit_after_rebuild:
            return
    log.info("projector started", extra={"group": consumer_group(settings)})
    await project(settings, stop, metrics, running)
    log.info("projector stopped")


def main() -> None:
    parser = argparse.ArgumentParser(prog="pulsecheck-projector", description=__doc__)
    parser.add_argument(
        "--rebuild", action="store_true", help="replay from offset zero into fresh tables first"
    )
    parser.add_argument(
        "--exit-after-rebuild", action="store_true", help="stop once the rebuild switched over"
    )
    asyncio.run(_main(parser.parse_args()))
