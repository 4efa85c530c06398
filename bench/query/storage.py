"""Bytes per stored result: synthetic results through the projector's batch writer into a
scratch database, then the day partitions' sizes divided by their rows (not a test).

    uv run python -m bench.query.storage [--results 200000] [--monitors 1000]

No Kafka: the bench's CheckCompleted bytes are decoded and written by `writer.write_batch`,
the statement the projector runs, in batches of `--batch`. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import uuid
from datetime import UTC, datetime

import psycopg

from bench.query.synthetic_events import BenchMonitor, History, events
from bench.system.storage_size import StorageSize
from pulsecheck.projector.batch import OrderedEvent, SortedBatch
from pulsecheck.projector.result_rows import result_row
from pulsecheck.projector.writer import prepare_staging, write_batch
from pulsecheck.read_model.database_url import libpq_url
from pulsecheck.read_model.databases import create_database, drop_database
from pulsecheck.read_model.event_ids import event_uuid
from pulsecheck.read_model.migrations.runner import upgrade
from pulsecheck.read_model.storage.connection import connect
from pulsecheck.shared.events import CheckCompleted, decode


async def _unappliable(event: OrderedEvent, reason: str) -> None:
    raise AssertionError(reason)


async def project(database_url: str, history: History, batch_size: int) -> None:
    conn = await connect(database_url, autocommit=True)
    try:
        await prepare_staging(conn)
        batch = SortedBatch()
        for _, value in events(history):
            envelope = decode(value)
            assert isinstance(envelope.data, CheckCompleted)
            batch.results.append(result_row(event_uuid(envelope.id), envelope.data))
            if len(batch.results) == batch_size:
                await write_batch(conn, batch, _unappliable)
                batch = SortedBatch()
        if batch.results:
            await write_batch(conn, batch, _unappliable)
    finally:
        await conn.close()


def partition_sizes(database_url: str, parent: str) -> StorageSize:
    """Rows, table bytes (heap, FSM, VM, TOAST) and index bytes over every partition."""
    with psycopg.connect(libpq_url(database_url), autocommit=True) as conn:
        conn.execute(f"VACUUM (ANALYZE) {parent}")
        row = conn.execute(
            f"SELECT (SELECT count(*) FROM {parent}), coalesce(sum(pg_table_size(relid)), 0),"
            " coalesce(sum(pg_indexes_size(relid)), 0)"
            " FROM pg_partition_tree(%s::regclass) WHERE isleaf",
            (parent,),
        ).fetchone()
    assert row is not None
    return StorageSize(int(row[0]), int(row[1]), int(row[2]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", type=int, default=200_000)
    parser.add_argument("--monitors", type=int, default=1_000)
    parser.add_argument("--batch", type=int, default=5_000)
    args = parser.parse_args()
    server = os.environ.get(
        "PULSECHECK_DATABASE_URL", "postgresql://pulsecheck:pulsecheck@127.0.0.1:15432/pulsecheck"
    )
    accounts = [str(uuid.uuid4()) for _ in range(max(1, args.monitors // 100))]
    monitors = [
        BenchMonitor(str(uuid.uuid4()), accounts[n % len(accounts)]) for n in range(args.monitors)
    ]
    history = History(monitors, args.results // args.monitors, datetime.now(UTC))
    database_url = create_database(server)
    try:
        upgrade(database_url)
        asyncio.run(project(database_url, history, args.batch))
        for parent in ("uptime_result_rows", "tls_results"):
            size = partition_sizes(database_url, parent)
            total = size.heap_bytes + size.index_bytes
            print(
                f"{parent:20} {size.rows:>9,} rows  table {size.per_row(size.heap_bytes):6.1f} B"
                f"  indexes {size.per_row(size.index_bytes):6.1f} B"
                f"  total {size.per_row(total):6.1f} B per result"
                f"  ({total / 2**20:.1f} MiB)"
            )
    finally:
        drop_database(server, database_url)


if __name__ == "__main__":
    main()
