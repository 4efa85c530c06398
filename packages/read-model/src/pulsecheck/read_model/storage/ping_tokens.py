"""Which live heartbeat monitor a ping token's hash names."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from pulsecheck.read_model.storage.connection import Connection


@dataclass(frozen=True, slots=True)
class PingTarget:
    monitor_id: uuid.UUID
    account_id: uuid.UUID


_LIVE = "removed_at IS NULL AND spec ? 'ping_token_sha256'"


async def ping_targets(conn: Connection) -> dict[str, PingTarget]:
    """Every live token hash and its monitor (the API keeps this map in memory)."""
    cursor = await conn.execute(
        f"SELECT spec->>'ping_token_sha256' AS token, id, account_id FROM monitors WHERE {_LIVE}"
    )
    rows = await cursor.fetchall()
    return {row["token"]: PingTarget(row["id"], row["account_id"]) for row in rows}


async def ping_target(conn: Connection, token_sha256: str) -> PingTarget | None:
    cursor = await conn.execute(
        f"SELECT id, account_id FROM monitors WHERE spec->>'ping_token_sha256' = %s AND {_LIVE}",
        (token_sha256,),
    )
    row = await cursor.fetchone()
    return PingTarget(row["id"], row["account_id"]) if row is not None else None


async def live_heartbeats(conn: Connection, monitor_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """Which of `monitor_ids` are live monitors with a ping token."""
    cursor = await conn.execute(
        f"SELECT id FROM monitors WHERE id = ANY(%s) AND {_LIVE}", (list(monitor_ids),)
    )
    return {row["id"] for row in await cursor.fetchall()}
