"""Suspending an account: every door closed at once, and which monitors it paused.

The doors are the account's API keys (revoked), its signed-in sessions (ended) and sign-in
(refused while `accounts.suspended_at` is set, see `key_access`, `web_sessions`, `users`).
Pausing the monitors is an event per monitor, published by the API's command; this module only
remembers which ones, so reinstating resumes exactly those.
"""

from __future__ import annotations

import uuid

from pulsecheck.read_model.storage.connection import Connection


async def close_doors(conn: Connection, account_id: uuid.UUID) -> bool:
    """Mark the account suspended, revoke its keys, end its sessions; False: no such account."""
    async with conn.transaction():
        cursor = await conn.execute(
            "UPDATE accounts SET suspended_at = coalesce(suspended_at, now())"
            " WHERE id = %s RETURNING id",
            (account_id,),
        )
        if await cursor.fetchone() is None:
            return False
        await conn.execute(
            "UPDATE api_keys SET revoked_at = now() WHERE account_id = %s AND revoked_at IS NULL",
            (account_id,),
        )
        await conn.execute("DELETE FROM web_sessions WHERE account_id = %s", (account_id,))
    return True


async def running_monitors(conn: Connection, account_id: uuid.UUID) -> list[uuid.UUID]:
    """The account's live monitors that are not paused."""
    cursor = await conn.execute(
        "SELECT id FROM monitors WHERE account_id = %s AND removed_at IS NULL"
        " AND NOT coalesce((spec->>'paused')::boolean, false) ORDER BY id",
        (account_id,),
    )
    return [row["id"] for row in await cursor.fetchall()]


async def remember_paused(conn: Connection, account_id: uuid.UUID, monitor_id: uuid.UUID) -> None:
    await conn.execute(
        "INSERT INTO suspended_monitors (account_id, monitor_id) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING",
        (account_id, monitor_id),
    )


async def paused_by_suspension(conn: Connection, account_id: uuid.UUID) -> list[uuid.UUID]:
    """The monitors the suspension paused that still exist."""
    cursor = await conn.execute(
        "SELECT s.monitor_id FROM suspended_monitors s"
        " JOIN monitors m ON m.id = s.monitor_id AND m.removed_at IS NULL"
        " WHERE s.account_id = %s ORDER BY s.monitor_id",
        (account_id,),
    )
    return [row["monitor_id"] for row in await cursor.fetchall()]


async def forget_paused(conn: Connection, account_id: uuid.UUID, monitor_id: uuid.UUID) -> None:
    await conn.execute(
        "DELETE FROM suspended_monitors WHERE account_id = %s AND monitor_id = %s",
        (account_id, monitor_id),
    )


async def open_doors(conn: Connection, account_id: uuid.UUID) -> bool:
    """Lift the suspension (keys stay revoked: the operator makes a new one); False: the
    account does not exist or was not suspended."""
    cursor = await conn.execute(
        "UPDATE accounts SET suspended_at = NULL"
        " WHERE id = %s AND suspended_at IS NOT NULL RETURNING id",
        (account_id,),
    )
    return await cursor.fetchone() is not None
