"""One transaction per batch: rows, rollups and the projector's position commit together.

Results are COPYed into a temporary staging table and moved with INSERT … ON CONFLICT
(event_id) DO NOTHING, and rollups count only the rows that were really new
(`result_moves`). Each website the batch touched is announced with NOTIFY in the same
transaction (the web app's live pages listen), so the notice arrives only with the rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator

import psycopg

from pulsecheck.projector.batch import OrderedEvent, SortedBatch
from pulsecheck.projector.event_writes import apply_event, apply_tombstone
from pulsecheck.projector.result_moves import move_tls_results, move_uptime_results
from pulsecheck.projector.result_rows import TLS_COLUMNS, UPTIME_COLUMNS
from pulsecheck.read_model.change_notices import Change, notify_changes
from pulsecheck.read_model.storage.connection import Connection

PROJECTION = "read-model"

# called, inside the batch's transaction, for an event that decoded but could not be applied
OnUnappliable = Callable[[OrderedEvent, str], Awaitable[None]]


async def prepare_staging(conn: Connection) -> None:
    """Per-connection staging tables shaped like the (current search_path's) result tables."""
    for table, columns in (("uptime_results", UPTIME_COLUMNS), ("tls_results", TLS_COLUMNS)):
        await conn.execute(f"DROP TABLE IF EXISTS pg_temp.{table}_stage")
        await conn.execute(
            f"CREATE TEMP TABLE {table}_stage ON COMMIT DELETE ROWS AS"
            f" SELECT {', '.join(columns)} FROM {table} WITH NO DATA"
        )


async def write_batch(conn: Connection, batch: SortedBatch, on_unappliable: OnUnappliable) -> None:
    """Apply the batch in one transaction, positions included."""
    async with conn.transaction():
        await _ordered(conn, batch.ordered, on_unappliable)
        for tombstone in batch.tombstones:
            await apply_tombstone(conn, tombstone)
        uptime = [r.values for r in batch.results if r.table == "uptime_results"]
        tls = [r.values for r in batch.results if r.table == "tls_results"]
        if uptime:
            await move_uptime_results(conn, uptime)
        if tls:
            await move_tls_results(conn, tls)
        await _store_positions(conn, batch.positions)
        await notify_changes(conn, _changes(batch))


def _changes(batch: SortedBatch) -> Iterator[Change]:
    """Every website the batch wrote about; events without both ids (channels) name none."""
    for row in batch.results:
        columns = UPTIME_COLUMNS if row.table == "uptime_results" else TLS_COLUMNS
        yield Change(row.values[columns.index("account_id")], row.monitor_id)
    for event in batch.ordered:
        account = getattr(event.envelope.data, "account_id", None)
        monitor = getattr(event.envelope.data, "monitor_id", None)
        if isinstance(account, str) and isinstance(monitor, str):
            try:
                yield Change(uuid.UUID(account), uuid.UUID(monitor))
            except ValueError:
                continue  # not UUIDs: the event was set aside as unappliable anyway


async def _ordered(
    conn: Connection, events: list[OrderedEvent], on_unappliable: OnUnappliable
) -> None:
    if not events:
        return
    cursor = await conn.execute(
        "INSERT INTO processed_events (event_id, topic, kafka_partition, kafka_offset)"
        " SELECT * FROM unnest(%s::uuid[], %s::text[], %s::int[], %s::bigint[])"
        " ON CONFLICT DO NOTHING RETURNING event_id",
        (
            [e.event_id for e in events],
            [e.topic for e in events],
            [e.partition for e in events],
            [e.offset for e in events],
        ),
    )
    fresh = {row["event_id"] for row in await cursor.fetchall()}
    for event in events:
        if event.event_id not in fresh:
            continue
        fresh.discard(event.event_id)
        try:
            async with conn.transaction():
                await apply_event(conn, event)
        except (ValueError, psycopg.DataError, psycopg.IntegrityError) as exc:
            await on_unappliable(event, f"could not apply: {exc}")


async def _store_positions(conn: Connection, positions: dict[tuple[str, int], int]) -> None:
    if not positions:
        return
    topics = [topic for topic, _ in positions]
    partitions = [partition for _, partition in positions]
    await conn.execute(
        "INSERT INTO projection_positions AS p (projection, topic, kafka_partition, next_offset)"
        " SELECT %s, * FROM unnest(%s::text[], %s::int[], %s::bigint[])"
        " ON CONFLICT (projection, topic, kafka_partition) DO UPDATE"
        " SET next_offset = greatest(p.next_offset, excluded.next_offset), updated_at = now()",
        (PROJECTION, topics, partitions, list(positions.values())),
    )


async def stored_positions(conn: Connection) -> dict[tuple[str, int], int]:
    cursor = await conn.execute(
        "SELECT topic, kafka_partition, next_offset FROM projection_positions"
        " WHERE projection = %s",
        (PROJECTION,),
    )
    return {(r["topic"], r["kafka_partition"]): r["next_offset"] for r in await cursor.fetchall()}
