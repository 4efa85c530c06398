"""`pulsecheck-projector [--rebuild]`: keep the read model in step with the topics."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime

from prometheus_client import generate_latest

from pulsecheck.projector.database import Database
from pulsecheck.projector.health import ProjectorProbes
from pulsecheck.projector.metrics import ProjectorMetrics
from pulsecheck.projector.rebuild import rebuild
from pulsecheck.projector.retention import delete_expired_results, retention_cutoff
from pulsecheck.projector.service import (
    FETCH_BYTES,
    Projector,
    projected_topics,
    seek_to_stored_positions,
)
from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.projector.writer import prepare_staging
from pulsecheck.read_model.storage.connection import Connection, connect
from pulsecheck.shared.health import HealthServer
from pulsecheck.shared.kafka.consumer import build_consumer
from pulsecheck.shared.kafka.producer import build_producer
from pulsecheck.shared.kafka.watch import ConsumerWatch
from pulsecheck.shared.liveness import TimerWatch
from pulsecheck.shared.logs import configure_logging
from pulsecheck.shared.runtime import run_until_stopped

log = logging.getLogger("pulsecheck.projector")

RETENTION_EVERY_SECONDS = 3600.0


def consumer_group(settings: ProjectorSettings) -> str:
    return f"{settings.topic_prefix}pulsecheck-projector"


async def project(
    settings: ProjectorSettings,
    stop: asyncio.Event,
    metrics: ProjectorMetrics,
    probes: ProjectorProbes | None = None,
) -> None:
    """Run the live projector until `stop` is set; `probes` learn its state once it runs."""
    topics = settings.topics()

    async def ready_connection() -> Connection:
        conn = await connect(settings.database_url, autocommit=True)
        await prepare_staging(conn)
        return conn

    # a PostgreSQL outage pauses the projector (retried with backoff) instead of ending it
    db = Database(ready_connection, stop)
    group = consumer_group(settings)
    security = settings.kafka_security()
    consumer = build_consumer(
        settings.kafka_bootstrap,
        "pulsecheck-projector",
        group_id=group,
        max_partition_fetch_bytes=FETCH_BYTES,
        security=security,
    )
    producer = build_producer(
        settings.kafka_bootstrap, "pulsecheck-projector-deadletters", security=security
    )
    await producer.start()
    await consumer.start()
    projector = Projector(
        db, consumer, topics, metrics, producer,
        settings.projector_batch_size, settings.projector_batch_wait_ms,
    )  # fmt: skip
    listener = seek_to_stored_positions(consumer, db, projector.settle)
    consumer.subscribe(projected_topics(topics), listener=listener)
    if probes is not None:
        now = time.monotonic()
        projector.loop_watch = TimerWatch(settings.stall_seconds, now, tolerance=1.0)
        watch = ConsumerWatch(
            settings.kafka_bootstrap, consumer, listener, tuple(projected_topics(topics)),
            group, settings.stall_seconds, now, security=security,
        )  # fmt: skip
        probes.attach(watch, projector.loop_watch)
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


async def _main(args: argparse.Namespace, stop: asyncio.Event) -> None:
    settings = ProjectorSettings()
    configure_logging("pulsecheck.projector", settings.log_level)
    metrics = ProjectorMetrics()
    probes = ProjectorProbes(settings.database_url)
    health = HealthServer(
        settings.health_host,
        settings.health_port,
        liveness=probes.liveness,
        readiness=probes.readiness,
        exposition=lambda: generate_latest(metrics.registry),
    )
    await health.start()
    try:
        await _project_or_rebuild(args, settings, stop, metrics, probes)
    finally:
        await health.stop()


async def _project_or_rebuild(
    args: argparse.Namespace,
    settings: ProjectorSettings,
    stop: asyncio.Event,
    metrics: ProjectorMetrics,
    probes: ProjectorProbes,
) -> None:
    if args.rebuild:
        async with contextlib.AsyncExitStack() as stack:
            conn = await connect(settings.database_url, autocommit=True)
            stack.push_async_callback(conn.close)
            read = await rebuild(
                conn, settings.kafka_bootstrap, settings.topics(),
                settings.projector_batch_size, datetime.now(UTC), settings.kafka_security(),
            )  # fmt: skip
            log.info("rebuild switched over", extra={"records": read})
        if args.exit_after_rebuild:
            return
    log.info("projector started", extra={"group": consumer_group(settings)})
    await project(settings, stop, metrics, probes)
    log.info("projector stopped")


def main() -> None:
    parser = argparse.ArgumentParser(prog="pulsecheck-projector", description=__doc__)
    parser.add_argument(
        "--rebuild", action="store_true", help="replay from offset zero into fresh tables first"
    )
    parser.add_argument(
        "--exit-after-rebuild", action="store_true", help="stop once the rebuild switched over"
    )
    args = parser.parse_args()
    # psycopg's async connections run on the standard loop here, as they always have
    run_until_stopped(lambda stop: _main(args, stop), use_uvloop=False)
