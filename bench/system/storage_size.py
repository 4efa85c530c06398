"""PostgreSQL's bytes per stored uptime result, heap and indexes apart, and a day at N."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg


@dataclass(frozen=True)
class StorageSize:
    rows: int
    heap_bytes: int
    index_bytes: int

    def per_row(self, size: int) -> float:
        return size / self.rows if self.rows else 0.0


def uptime_storage(database_url: str) -> StorageSize:
    """Sizes summed over every partition of uptime_result_rows (after a VACUUM for the FSM)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) uptime_result_rows")
        row = conn.execute(
            "SELECT (SELECT count(*) FROM uptime_result_rows),"
            " coalesce(sum(pg_table_size(inhrelid)), 0),"
            " coalesce(sum(pg_indexes_size(inhrelid)), 0)"
            " FROM pg_inherits WHERE inhparent = 'uptime_result_rows'::regclass"
        ).fetchone()
    assert row is not None
    return StorageSize(int(row[0]), int(row[1]), int(row[2]))
