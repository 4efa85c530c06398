"""One-time invites into an account: the link carries the token, the table its hash."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.roles import Role
from pulsecheck.read_model.storage.tokens import new_token, token_hash
from pulsecheck.read_model.storage.users import add_membership

INVITE_LIFETIME = timedelta(days=7)


async def create_invite(
    conn: Connection, account_id: uuid.UUID, role: Role, expires_at: datetime
) -> str:
    token = new_token()
    await conn.execute(
        "INSERT INTO invites (account_id, token_hash, role, expires_at) VALUES (%s, %s, %s, %s)",
        (account_id, token_hash(token), role, expires_at),
    )
    return token


async def open_invite(conn: Connection, token: str, now: datetime) -> dict[str, Any] | None:
    """The unused, unexpired invite behind a link, with its account's name."""
    cursor = await conn.execute(
        "SELECT i.id, i.account_id, a.name AS account_name, i.role, i.expires_at"
        " FROM invites i JOIN accounts a ON a.id = i.account_id"
        " WHERE i.token_hash = %s AND i.accepted_at IS NULL AND i.expires_at > %s",
        (token_hash(token), now),
    )
    return await cursor.fetchone()


async def accept_invite(
    conn: Connection, token: str, user_id: uuid.UUID, now: datetime
) -> uuid.UUID | None:
    """Spends the invite and makes the user a member; None when it was spent or expired.

    The conditional UPDATE is what makes an invite one-time under concurrent use.
    """
    async with conn.transaction():
        cursor = await conn.execute(
            "UPDATE invites SET accepted_at = %s, accepted_by = %s"
            " WHERE token_hash = %s AND accepted_at IS NULL AND expires_at > %s"
            " RETURNING account_id, role",
            (now, user_id, token_hash(token), now),
        )
        row = await cursor.fetchone()
        if row is None:
            return None
        account_id: uuid.UUID = row["account_id"]
        await add_membership(conn, account_id, user_id, row["role"])
    return account_id


async def pending_invites(
    conn: Connection, account_id: uuid.UUID, now: datetime
) -> list[dict[str, Any]]:
    cursor = await conn.execute(
        "SELECT id, role, created_at, expires_at FROM invites"
        " WHERE account_id = %s AND accepted_at IS NULL AND expires_at > %s"
        " ORDER BY created_at DESC",
        (account_id, now),
    )
    return await cursor.fetchall()
