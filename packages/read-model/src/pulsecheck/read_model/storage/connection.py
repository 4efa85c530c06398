"""The connection pool every request and the projector draw from (rows come back as dicts)."""

from __future__ import annotations

from typing import Any, TypeAlias

from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool

from pulsecheck.read_model.database_url import libpq_url

Connection: TypeAlias = AsyncConnection[DictRow]
Pool: TypeAlias = AsyncConnectionPool[Connection]


def build_pool(database_url: str, min_size: int, max_size: int, **kwargs: Any) -> Pool:
    """A closed pool; open it with `await pool.open(wait=True)`."""
    return AsyncConnectionPool(
        libpq_url(database_url),
        min_size=min_size,
        max_size=max_size,
        kwargs={"row_factory": dict_row, "autocommit": True, **kwargs},
        connection_class=AsyncConnection[DictRow],
        open=False,
    )


async def connect(database_url: str, *, autocommit: bool = False) -> Connection:
    return await AsyncConnection.connect(
        libpq_url(database_url), row_factory=dict_row, autocommit=autocommit
    )
