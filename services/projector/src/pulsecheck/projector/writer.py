"""One transaction per batch: rows, rollups and the projector's position commit together.

Results are COPYed into a temporary staging table and moved with INSERT … ON CONFLICT DO
NOTHING, and rollups count only the rows that were really new (`result_moves`). The day
partitions a batch writes into (and the day after its newest) are created first, in the same
transaction: no result waits in the default partition for its day to exist. Each website the
batch touched is announced with NOTIFY in the same transaction (the web app's live pages
listen), so the notice arrives only with the rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator
from datetime import UTC, date, timedelta

import psycopg

from pulsecheck.projector.batch import OrderedEvent, SortedBatch
from pulsecheck.projector.event_writes import apply_event, apply_tombstone
from pulsecheck.projector.result_moves import move_tls_results, move_uptime_results
from pulsecheck.projector.result_rows import TLS_COLUMNS, TLS_TABLE, UPTIME_COLUMNS, UPTIME_TABLE
from pulsecheck.read_model.change_notices import Change, notify_changes
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.dns_answers import store_latest

PROJECTION = "read-model"

# called, inside the batch's transaction, for an event that decoded but could not be applied
OnUnappliable = Callable[[OrderedEvent, str], Awaitable[None]]


# an uptime result in its readable shape, before `result_moves` numbers and encodes it
UPTIME_STAGE = """
CREATE TEMP TABLE uptime_results_stage (
    id bigint, monitor_id uuid, account_id uuid, kind text, region text, checked_at timestamptz,
    scheduled_for timestamptz, outcome text, status_code smallint, latency_ms float8,
    error_kind text, error text, final_url text, redirects smallint
) ON COMMIT DELETE ROWS
"""
PARTITIONED_TABLES = ("uptime_result_rows", "tls_results")


async def prepare_staging(conn: Connection) -> None:
    """Per-connection staging tables shaped like the (current search_path's) result tables."""
    await conn.execute(f"DROP TABLE IF EXISTS pg_temp.{UPTIME_TABLE}_stage")
    await conn.execute(UPTIME_STAGE)
    await conn.execute(f"DROP TABLE IF EXISTS pg_temp.{TLS_TABLE}_stage")
    await conn.execute(
        f"CREATE TEMP TABLE {TLS_TABLE}_stage ON COMMIT DELETE ROWS AS"
        f" SELECT {', '.join(TLS_COLUMNS)} FROM {TLS_TABLE} WITH NO DATA"
    )


async def ensure_day_partitions(conn: Connection, days: Iterable[date]) -> None:
    """Each day's partition of every result table (of the current search_path) exists."""
    wanted = sorted(set(days))
    if not wanted:
        return
    for table in PARTITIONED_TABLES:
        await conn.execute(
            "SELECT pulsecheck_day_partition(%s::regclass, day) FROM unnest(%s::date[]) day",
            (table, wanted),
        )


def _days_ahead(batch: SortedBatch) -> set[date]:
    """The batch's days and the day after the newest: tomorrow exists before its first result."""
    days = {r.checked_at.astimezone(UTC).date() for r in batch.results}
    return days | {max(days) + timedelta(days=1)} if days else days


async def write_batch(conn: Connection, batch: SortedBatch, on_unappliable: OnUnappliable) -> None:
    """Apply the batch in one transaction, positions included."""
    async with conn.transaction():
        await _ordered(conn, batch.ordered, on_unappliable)
        for tombstone in batch.tombstones:
            await apply_tombstone(conn, tombstone)
        await ensure_day_partitions(conn, _days_ahead(batch))
        uptime = [r.values for r in batch.results if r.table == UPTIME_TABLE]
        tls = [r.values for r in batch.results if r.table == TLS_TABLE]
        if uptime:
            await move_uptime_results(conn, uptime)
        if tls:
            await move_tls_results(conn, tls)
        await store_latest(conn, [r.dns_answers for r in batch.results if r.dns_answers])
        await _store_positions(conn, batch.positions)
        await notify_changes(conn, _changes(batch))


def _changes(batch: SortedBatch) -> Iterator[Change]:
    """Every website the batch wrote about; events without both ids (channels) name none."""
    for row in batch.results:
        columns = UPTIME_COLUMNS if row.table == UPTIME_TABLE else TLS_COLUMNS
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
