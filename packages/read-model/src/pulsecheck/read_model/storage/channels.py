"""Reads of alert channels, scoped to one account."""

from __future__ import annotations

import uuid
from typing import Any

from pulsecheck.read_model.storage.connection import Connection

# target and secret columns hold sealed values for the kinds that declare them secret
COLUMNS = (
    "id, account_id, kind, name, target, target_masked, secret, previous_secret,"
    " previous_secret_until, enabled, event_types, created_at, updated_at"
)


async def get_channel(
    conn: Connection, account_id: uuid.UUID, channel_id: uuid.UUID
) -> dict[str, Any] | None:
    cursor = await conn.execute(
        f"SELECT {COLUMNS} FROM channels WHERE id = %s AND account_id = %s AND removed_at IS NULL",
        (channel_id, account_id),
    )
    return await cursor.fetchone()


async def channel_page(
    conn: Connection,
    account_id: uuid.UUID,
    after: tuple[Any, uuid.UUID] | None,
    limit: int,
) -> list[dict[str, Any]]:
    if after is None:
        cursor = await conn.execute(
            f"SELECT {COLUMNS} FROM channels WHERE account_id = %s AND removed_at IS NULL"
            " ORDER BY created_at DESC, id DESC LIMIT %s",
            (account_id, limit),
        )
    else:
        cursor = await conn.execute(
            f"SELECT {COLUMNS} FROM channels WHERE account_id = %s AND removed_at IS NULL"
            " AND (created_at, id) < (%s, %s) ORDER BY created_at DESC, id DESC LIMIT %s",
            (account_id, after[0], after[1], limit),
        )
    return await cursor.fetchall()
