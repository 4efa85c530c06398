"""Accounts and their API keys."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pulsecheck.read_model.api_keys import hash_api_key, new_api_key, visible_prefix
from pulsecheck.read_model.storage.connection import Connection


@dataclass(frozen=True)
class CreatedAccount:
    account_id: uuid.UUID
    api_key: str


async def create_account(conn: Connection, name: str) -> CreatedAccount:
    key = new_api_key()
    async with conn.transaction():
        cursor = await conn.execute("INSERT INTO accounts (name) VALUES (%s) RETURNING id", (name,))
        row = await cursor.fetchone()
        assert row is not None
        account_id: uuid.UUID = row["id"]
        await conn.execute(
            "INSERT INTO api_keys (account_id, key_hash, key_prefix) VALUES (%s, %s, %s)",
            (account_id, hash_api_key(key), visible_prefix(key)),
        )
    return CreatedAccount(account_id, key)


async def live_resources(
    conn: Connection, account_id: uuid.UUID
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """The ids of the account's monitors and channels that are not removed."""
    monitors = await conn.execute(
        "SELECT id FROM monitors WHERE account_id = %s AND removed_at IS NULL", (account_id,)
    )
    channels = await conn.execute(
        "SELECT id FROM channels WHERE account_id = %s AND removed_at IS NULL", (account_id,)
    )
    return (
        [row["id"] for row in await monitors.fetchall()],
        [row["id"] for row in await channels.fetchall()],
    )


async def delete_account_row(conn: Connection, account_id: uuid.UUID) -> bool:
    """The account, its keys, memberships and invites (ON DELETE CASCADE)."""
    cursor = await conn.execute("DELETE FROM accounts WHERE id = %s RETURNING id", (account_id,))
    return await cursor.fetchone() is not None
