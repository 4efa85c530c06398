"""Writes of the channels table, shared by the API (read-your-writes) and the projector."""

from __future__ import annotations

import uuid
from datetime import datetime

from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.shared.events import ChannelConfigured

UPSERT_CHANNEL = """
INSERT INTO channels AS c (id, account_id, kind, name, target, target_masked, secret,
                           previous_secret, previous_secret_until, enabled, event_types,
                           version, last_event_id, created_at, updated_at, removed_at)
VALUES (%(id)s, %(account_id)s, %(kind)s, %(name)s, %(target)s, %(target_masked)s, %(secret)s,
        %(previous_secret)s, %(previous_secret_until)s, %(enabled)s,
        %(event_types)s, %(version)s, %(event_id)s, %(at)s, %(at)s, NULL)
ON CONFLICT (id) DO UPDATE SET
    kind = excluded.kind, name = excluded.name, target = excluded.target,
    target_masked = excluded.target_masked, secret = excluded.secret,
    previous_secret = excluded.previous_secret,
    previous_secret_until = excluded.previous_secret_until,
    enabled = excluded.enabled, event_types = excluded.event_types,
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
            "target_masked": channel.target_masked,
            "secret": channel.secret,
            "previous_secret": channel.previous_secret,
            "previous_secret_until": channel.previous_secret_until,
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
