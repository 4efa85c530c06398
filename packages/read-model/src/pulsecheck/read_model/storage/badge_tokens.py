"""Badge tokens: the public name of one website in badge URLs, so READMEs never show its id.

A token is random (not derived from the id) and one per website; asking again returns the
same one, so published badge links keep working.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from pulsecheck.read_model.storage.connection import Connection


async def badge_token_for(conn: Connection, account_id: uuid.UUID, monitor_id: uuid.UUID) -> str:
    """The website's token, made on first request (the caller has checked it is the account's)."""
    cursor = await conn.execute(
        "INSERT INTO badge_tokens (monitor_id, account_id, token) VALUES (%s, %s, %s)"
        " ON CONFLICT (monitor_id) DO UPDATE SET monitor_id = excluded.monitor_id"
        " RETURNING token",
        (monitor_id, account_id, secrets.token_urlsafe(12)),
    )
    row = await cursor.fetchone()
    assert row is not None
    return str(row["token"])


async def existing_badge_token(conn: Connection, monitor_id: uuid.UUID) -> str | None:
    cursor = await conn.execute(
        "SELECT token FROM badge_tokens WHERE monitor_id = %s", (monitor_id,)
    )
    row = await cursor.fetchone()
    return None if row is None else str(row["token"])


async def badge_facts(conn: Connection, token: str) -> dict[str, Any] | None:
    """The live website a token stands for, with its spec (its status is judged from the
    regions: `region_latest.with_overall_status`) and certificate; None for an unknown token or
    a removed website."""
    cursor = await conn.execute(
        "SELECT m.id, m.account_id, m.paused, m.spec,"
        " s.cert_expires_at FROM badge_tokens b JOIN monitors m ON m.id = b.monitor_id"
        " LEFT JOIN monitor_status s ON s.monitor_id = m.id"
        " WHERE b.token = %s AND m.removed_at IS NULL",
        (token,),
    )
    return await cursor.fetchone()
