"""Raw results expire after the retention setting, a day partition at a time; rollups stay.

Dropping a partition costs the same for 10 rows or 144 M; deleting rows would cost a vacuum
of every one. Only the default partition, the safety net for a row whose day did not exist
yet, is cleaned row by row, and it is normally empty.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pulsecheck.projector.writer import PARTITIONED_TABLES
from pulsecheck.read_model.storage.connection import Connection

_DAY_SUFFIX = "_p"


def retention_cutoff(now: datetime, retention_days: int) -> datetime:
    return now - timedelta(days=retention_days)


def partition_day(parent: str, partition: str) -> date | None:
    """The UTC day a partition named `<parent>_pYYYYMMDD` holds; None for any other name."""
    prefix = parent + _DAY_SUFFIX
    if not partition.startswith(prefix):
        return None
    try:
        return datetime.strptime(partition[len(prefix) :], "%Y%m%d").date()
    except ValueError:
        return None


def expired_partitions(parent: str, partitions: list[str], cutoff: datetime) -> list[str]:
    """The day partitions whose whole day lies before the cutoff."""
    expired = []
    for partition in partitions:
        day = partition_day(parent, partition)
        if day is not None and day + timedelta(days=1) <= cutoff.date():
            expired.append(partition)
    return sorted(expired)


async def delete_expired_results(conn: Connection, cutoff: datetime) -> int:
    """Drop the day partitions wholly before the cutoff and expired rows of the default ones;
    how many results went (a dropped partition counts by the planner's row estimate)."""
    removed = 0
    for parent in PARTITIONED_TABLES:
        cursor = await conn.execute(
            "SELECT c.relname, n.nspname, greatest(c.reltuples, 0)::bigint AS estimate"
            " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.inhparent = %s::regclass",
            (parent,),
        )
        children = {row["relname"]: row for row in await cursor.fetchall()}
        for name in expired_partitions(parent, list(children), cutoff):
            child = children[name]
            # one short transaction per partition: the projector's writes wait only for a drop
            await conn.execute(f'DROP TABLE "{child["nspname"]}"."{name}"')
            removed += child["estimate"]
        fallback = children.get(f"{parent}_default")
        if fallback is not None:
            deleted = await conn.execute(
                f'DELETE FROM "{fallback["nspname"]}"."{parent}_default" WHERE checked_at < %s',
                (cutoff,),
            )
            removed += deleted.rowcount
    return removed
