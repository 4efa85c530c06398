"""Raw results expire after the retention setting; rollups are never deleted."""

from __future__ import annotations

from datetime import datetime, timedelta

from pulsecheck.read_model.storage.connection import Connection


def retention_cutoff(now: datetime, retention_days: int) -> datetime:
    return now - timedelta(days=retention_days)


async def delete_expired_results(conn: Connection, cutoff: datetime, chunk: int = 10_000) -> int:
    """Delete in small transactions so the projector's own writes are never blocked long."""
    deleted = 0
    for table in ("uptime_results", "tls_results"):
        while True:
            cursor = await conn.execute(
                f"DELETE FROM {table} WHERE id IN"
                f" (SELECT id FROM {table} WHERE checked_at < %s LIMIT %s)",
                (cutoff, chunk),
            )
            deleted += cursor.rowcount
            if cursor.rowcount < chunk:
                break
    return deleted
