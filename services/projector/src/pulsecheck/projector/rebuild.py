"""`--rebuild`: replay every topic from offset zero into fresh tables, then switch over.

The fresh tables live in their own schema until the replay reaches the end offsets taken at
the start; one transaction then swaps them into `public`. The rebuilt positions come along,
so the live projector (re)starts exactly where the rebuild stopped.
"""

from __future__ import annotations

import logging
from datetime import datetime

from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from pulsecheck.projector.database import Database
from pulsecheck.projector.metrics import ProjectorMetrics
from pulsecheck.projector.service import FETCH_BYTES, Projector, projected_topics
from pulsecheck.projector.writer import PARTITIONED_TABLES, prepare_staging
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.shared.kafka.consumer import build_consumer
from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity
from pulsecheck.shared.topics import Topics

log = logging.getLogger(__name__)

PROJECTED_TABLES: tuple[str, ...] = (
    "monitors", "monitor_status", "monitor_numbers", "result_regions", "uptime_result_rows",
    "tls_results", "uptime_rollups_hourly", "uptime_rollups_daily", "uptime_region_rollups_hourly",
    "uptime_region_rollups_daily", "monitor_region_status", "incidents", "notifications",
    "channels", "processed_events",
    "projection_positions",
)  # fmt: skip


def shadow_schema_name(now: datetime) -> str:
    return f"rebuild_{now:%Y%m%d%H%M%S%f}"


async def create_shadow_tables(conn: Connection, schema: str) -> None:
    await conn.execute(f"CREATE SCHEMA {schema}")
    for table in PROJECTED_TABLES:
        # LIKE copies no partitioning; day partitions come with the first write of each day
        by_day = " PARTITION BY RANGE (checked_at)" if table in PARTITIONED_TABLES else ""
        await conn.execute(
            f"CREATE TABLE {schema}.{table} (LIKE public.{table} INCLUDING ALL){by_day}"
        )
        if by_day:
            await conn.execute(
                f"CREATE TABLE {schema}.{table}_default PARTITION OF {schema}.{table} DEFAULT"
            )
        # LIKE copies no storage parameters; the fill factor keeps rollup updates on-page
        cursor = await conn.execute(
            "SELECT reloptions FROM pg_class WHERE oid = %s::regclass", (f"public.{table}",)
        )
        row = await cursor.fetchone()
        if row and row["reloptions"]:
            await conn.execute(f"ALTER TABLE {schema}.{table} SET ({', '.join(row['reloptions'])})")


async def switch_over(conn: Connection, schema: str) -> None:
    retired = f"retired_{schema}"
    async with conn.transaction():
        tables = ", ".join(f"public.{t}" for t in PROJECTED_TABLES)
        await conn.execute(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")
        await conn.execute(f"CREATE SCHEMA {retired}")
        # a view follows its tables into the retired schema: drop it, and make it again over
        # the new ones from its own definition
        cursor = await conn.execute(
            "SELECT viewname, definition FROM pg_views WHERE schemaname = 'public'"
        )
        views = await cursor.fetchall()
        for view in views:
            await conn.execute(f'DROP VIEW public."{view["viewname"]}"')
        for table in PROJECTED_TABLES:
            await _move_table(conn, "public", table, retired)
            await _move_table(conn, schema, table, "public")
        for view in views:
            await conn.execute(f'CREATE VIEW public."{view["viewname"]}" AS {view["definition"]}')
    await conn.execute(f"DROP SCHEMA {retired} CASCADE")
    await conn.execute(f"DROP SCHEMA {schema}")


async def _move_table(conn: Connection, source: str, table: str, target: str) -> None:
    """SET SCHEMA moves a partitioned table without its partitions: move them too."""
    cursor = await conn.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = %s::regclass",
        (f"{source}.{table}",),
    )
    for row in await cursor.fetchall():
        await conn.execute(f'ALTER TABLE {source}."{row["relname"]}" SET SCHEMA {target}')
    await conn.execute(f"ALTER TABLE {source}.{table} SET SCHEMA {target}")


async def _all_partitions(
    bootstrap: str, topics: list[str], security: KafkaSecurity
) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, client_id="pulsecheck-rebuild", **security.client_kwargs()
    )
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    return sorted(
        TopicPartition(topic["topic"], partition["partition"])
        for topic in described
        for partition in topic["partitions"]
    )


async def replay_into(
    conn: Connection,
    schema: str,
    bootstrap: str,
    topics: Topics,
    batch_size: int,
    security: KafkaSecurity = PLAINTEXT,
) -> int:
    """Project everything up to the end offsets of now into `schema`; returns records read."""
    await conn.execute(f"SET search_path TO {schema}, public")
    await prepare_staging(conn)
    consumer = build_consumer(
        bootstrap,
        "pulsecheck-projector-rebuild",
        group_id=None,
        max_partition_fetch_bytes=FETCH_BYTES,
        security=security,
    )
    await consumer.start()
    read = 0
    try:
        partitions = await _all_partitions(bootstrap, projected_topics(topics), security)
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        projector = Projector(
            Database.of(conn), consumer, topics, ProjectorMetrics(), None, batch_size, 100, False
        )
        while True:
            behind = [tp for tp in partitions if await consumer.position(tp) < ends[tp]]
            if not behind:
                break
            read += await projector.step()
    finally:
        await consumer.stop()
        await conn.execute("SET search_path TO public")
        await prepare_staging(conn)
    return read


async def rebuild(
    conn: Connection,
    bootstrap: str,
    topics: Topics,
    batch_size: int,
    now: datetime,
    security: KafkaSecurity = PLAINTEXT,
) -> int:
    schema = shadow_schema_name(now)
    await create_shadow_tables(conn, schema)
    try:
        read = await replay_into(conn, schema, bootstrap, topics, batch_size, security)
    except BaseException:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        raise
    await switch_over(conn, schema)
    log.info("read model rebuilt", extra={"records": read, "schema": schema})
    return read
