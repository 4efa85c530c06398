"""Per-account overrides of the deployment's quotas, and what an account holds right now."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pulsecheck.read_model.storage.connection import Connection


@dataclass(frozen=True)
class LimitOverrides:
    """None: the deployment's setting applies."""

    max_monitors: int | None = None
    max_channels: int | None = None
    min_interval_seconds: int | None = None
    # TCP checks of any port, not only the deployment's allow-list
    any_tcp_port: bool = False


async def limit_overrides(conn: Connection, account_id: uuid.UUID) -> LimitOverrides:
    cursor = await conn.execute(
        "SELECT max_monitors, max_channels, min_interval_seconds, any_tcp_port"
        " FROM accounts WHERE id = %s",
        (account_id,),
    )
    row = await cursor.fetchone()
    return LimitOverrides() if row is None else LimitOverrides(**row)


async def set_limit_overrides(
    conn: Connection, account_id: uuid.UUID, overrides: LimitOverrides
) -> bool:
    cursor = await conn.execute(
        "UPDATE accounts SET max_monitors = %s, max_channels = %s, min_interval_seconds = %s,"
        " any_tcp_port = %s WHERE id = %s RETURNING id",
        (
            overrides.max_monitors,
            overrides.max_channels,
            overrides.min_interval_seconds,
            overrides.any_tcp_port,
            account_id,
        ),
    )
    return await cursor.fetchone() is not None


async def live_monitor_count(conn: Connection, account_id: uuid.UUID) -> int:
    cursor = await conn.execute(
        "SELECT count(*) AS n FROM monitors WHERE account_id = %s AND removed_at IS NULL",
        (account_id,),
    )
    row = await cursor.fetchone()
    return int(row["n"]) if row else 0


async def live_channel_count(conn: Connection, account_id: uuid.UUID) -> int:
    cursor = await conn.execute(
        "SELECT count(*) AS n FROM channels WHERE account_id = %s AND removed_at IS NULL",
        (account_id,),
    )
    row = await cursor.fetchone()
    return int(row["n"]) if row else 0
