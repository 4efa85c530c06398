"""Writes of the channels table, shared by the API (read-your-writes) and the projector."""

from __future__ import annotations

import uuid
from datetime import datetime

from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.shared.events import ChannelConfigured

UPSERT_CHANNEL = """
INSERT INTO channels AS c (id, account_id, kind, name, target, secret, enabled, event_types,
                           version, last_event_id, created_at, updated_at, removed_at)
VALUES (%(id)s, %(account_id)s, %(kind)s, %(name)s, %(target)s, %(secret)s, %(enabled)s,
        %(event_types)s, %(version)s, %(event_id)s, %(at)s, %(at)s, NULL)
ON CONFLICT (id) DO UPDATE SET
    kind = excluded.kind, name = excluded.name, target = excluded.target,
    secret = excluded.secret, enabled = excluded.enabled, event_types = excluded.event_types,
    version = excluded.version, last_event_id = excluded.last_event_id,
    updated_at = excluded.updated_at, removed_at = NULL
WHERE c.version < excluded.version AND c.account_id = excluded.account_id
"""

MARK_REMOVED = """
UPDATE channels SET removed_at = %(at)s, updated_at = %(at)s, version = %(version)s,
                    last_event_id = %(event_id)s
WHERE id = %(id)s AND version < %(version)s
"""


async def apply_channel_configured(
    conn: Connection, channel: ChannelConfigured, event_id: uuid.UUID, version: int, at: datetime
) -> None:
    await conn.execute(
        UPSERT_CHANNEL,
        {
            "id": uuid.UUID(channel.channel_id),
            "account_id": uuid.UUID(channel.account_id),
            "kind": channel.kind,
            "name": channel.name,
            "target": channel.target,
            "secret": channel.secret,
            "enabled": channel.enabled,
            "event_types": channel.event_types,
            "version": version,
            "event_id": event_id,
            "at": at,
        },
    )


async def apply_channel_removed(
    conn: Connection, channel_id: uuid.UUID, event_id: uuid.UUID, version: int, at: datetime
) -> None:
    await conn.execute(
        MARK_REMOVED, {"id": channel_id, "event_id": event_id, "version": version, "at": at}
    )
