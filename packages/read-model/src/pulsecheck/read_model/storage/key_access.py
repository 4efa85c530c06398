"""API keys with a role: the REST API's door, managed by owners from the web app."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pulsecheck.read_model.api_keys import hash_api_key, new_api_key, visible_prefix
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.roles import Role


@dataclass(frozen=True)
class KeyAccess:
    account_id: uuid.UUID
    role: Role
    # the key's row, never the key: what rate limits count against
    key_id: uuid.UUID


async def access_for_key(conn: Connection, key: str) -> KeyAccess | None:
    cursor = await conn.execute(
        "SELECT k.id, k.account_id, k.role FROM api_keys k JOIN accounts a ON a.id = k.account_id"
        " WHERE k.key_hash = %s AND k.revoked_at IS NULL AND a.suspended_at IS NULL",
        (hash_api_key(key),),
    )
    row = await cursor.fetchone()
    return None if row is None else KeyAccess(row["account_id"], row["role"], row["id"])


async def create_api_key(conn: Connection, account_id: uuid.UUID, name: str, role: Role) -> str:
    """The new key, to be shown once: only its hash and a short prefix are kept."""
    key = new_api_key()
    await conn.execute(
        "INSERT INTO api_keys (account_id, key_hash, key_prefix, name, role)"
        " VALUES (%s, %s, %s, %s, %s)",
        (account_id, hash_api_key(key), visible_prefix(key), name, role),
    )
    return key


async def account_api_keys(conn: Connection, account_id: uuid.UUID) -> list[dict[str, Any]]:
    cursor = await conn.execute(
        "SELECT id, name, key_prefix, role, created_at, revoked_at FROM api_keys"
        " WHERE account_id = %s ORDER BY revoked_at IS NOT NULL, created_at DESC",
        (account_id,),
    )
    return await cursor.fetchall()


async def revoke_api_key(conn: Connection, account_id: uuid.UUID, key_id: uuid.UUID) -> bool:
    cursor = await conn.execute(
        "UPDATE api_keys SET revoked_at = now()"
        " WHERE id = %s AND account_id = %s AND revoked_at IS NULL RETURNING id",
        (key_id, account_id),
    )
    return await cursor.fetchone() is not None


async def rotate_api_key(conn: Connection, account_id: uuid.UUID, key_id: uuid.UUID) -> str | None:
    """A new key with the old one's name and role, the old one revoked in the same
    transaction; None when `key_id` is no active key of the account."""
    async with conn.transaction():
        cursor = await conn.execute(
            "UPDATE api_keys SET revoked_at = now()"
            " WHERE id = %s AND account_id = %s AND revoked_at IS NULL RETURNING name, role",
            (key_id, account_id),
        )
        old = await cursor.fetchone()
        if old is None:
            return None
        return await create_api_key(conn, account_id, old["name"], old["role"])
