"""The newest delivery attempt of each channel: did its last alert get out?"""

from __future__ import annotations

import uuid
from typing import Any

from pulsecheck.read_model.storage.connection import Connection


async def last_delivery_by_channel(
    conn: Connection, account_id: uuid.UUID
) -> dict[str, dict[str, Any]]:
    cursor = await conn.execute(
        "SELECT DISTINCT ON (channel_id) channel_id, outcome, at, error, trigger_type"
        " FROM notifications WHERE account_id = %s ORDER BY channel_id, at DESC, id DESC",
        (account_id,),
    )
    return {row["channel_id"]: row for row in await cursor.fetchall()}
