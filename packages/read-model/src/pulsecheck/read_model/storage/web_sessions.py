"""Signed-in sessions: the cookie holds a random token, the table only its hash."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.tokens import new_token, token_hash


async def start_session(
    conn: Connection, user_id: uuid.UUID, account_id: uuid.UUID, expires_at: datetime
) -> str:
    token = new_token()
    await conn.execute(
        "INSERT INTO web_sessions (token_hash, user_id, account_id, expires_at)"
        " VALUES (%s, %s, %s, %s)",
        (token_hash(token), user_id, account_id, expires_at),
    )
    return token


async def session_identity(conn: Connection, token: str, now: datetime) -> dict[str, Any] | None:
    """Who holds this unexpired session, with their role read now (a changed role counts)."""
    cursor = await conn.execute(
        "SELECT s.user_id, u.email, s.account_id, a.name AS account_name, m.role"
        " FROM web_sessions s JOIN users u ON u.id = s.user_id"
        " JOIN memberships m ON m.user_id = s.user_id AND m.account_id = s.account_id"
        " JOIN accounts a ON a.id = s.account_id"
        " WHERE s.token_hash = %s AND s.expires_at > %s AND a.suspended_at IS NULL",
        (token_hash(token), now),
    )
    return await cursor.fetchone()


async def end_session(conn: Connection, token: str) -> None:
    await conn.execute("DELETE FROM web_sessions WHERE token_hash = %s", (token_hash(token),))


async def end_other_sessions(conn: Connection, user_id: uuid.UUID, keep_token: str) -> None:
    """After a password change, every other browser must sign in again."""
    await conn.execute(
        "DELETE FROM web_sessions WHERE user_id = %s AND token_hash <> %s",
        (user_id, token_hash(keep_token)),
    )
