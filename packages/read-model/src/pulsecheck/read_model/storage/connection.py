"""The connection pool every request and the projector draw from (rows come back as dicts)."""

from __future__ import annotations

from typing import Any, TypeAlias

from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool

from pulsecheck.read_model.database_url import libpq_url

Connection: TypeAlias = AsyncConnection[DictRow]
Pool: TypeAlias = AsyncConnectionPool[Connection]

# psycopg_pool's own default: a request waits this long for a free connection
DEFAULT_POOL_TIMEOUT_SECONDS = 30.0


def build_pool(
    database_url: str,
    min_size: int,
    max_size: int,
    *,
    timeout: float = DEFAULT_POOL_TIMEOUT_SECONDS,
    **kwargs: Any,
) -> Pool:
    """A closed pool; open it with `await pool.open(wait=True)`.

    Every connection is checked as it leaves the pool, so after PostgreSQL restarts the pool
    drops its dead connections and makes new ones (with its own backoff) instead of handing
    them out; `timeout` bounds how long a caller waits for one (`PoolTimeout` after it).
    """
    return AsyncConnectionPool(
        libpq_url(database_url),
        min_size=min_size,
        max_size=max_size,
        kwargs={"row_factory": dict_row, "autocommit": True, **kwargs},
        connection_class=AsyncConnection[DictRow],
        check=AsyncConnectionPool.check_connection,
        timeout=timeout,
        open=False,
    )


async def connect(database_url: str, *, autocommit: bool = False) -> Connection:
    return await AsyncConnection.connect(
        libpq_url(database_url), row_factory=dict_row, autocommit=autocommit
    )
