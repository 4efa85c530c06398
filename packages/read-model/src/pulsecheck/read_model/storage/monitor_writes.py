"""Writes of the monitors table, shared by the API (read-your-writes) and the projector.

Both apply the same event with the same `version` (its offset on the monitors topic, which
orders every event of one monitor), so whichever comes second changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from psycopg.types.json import Jsonb

from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.shared.events import MonitorSpec

UPSERT_MONITOR = """
INSERT INTO monitors AS m (id, account_id, name, url, spec, paused, version, last_event_id,
                           created_at, updated_at, removed_at)
VALUES (%(id)s, %(account_id)s, %(name)s, %(url)s, %(spec)s, %(paused)s, %(version)s,
        %(event_id)s, %(at)s, %(at)s, NULL)
ON CONFLICT (id) DO UPDATE SET
    name = excluded.name, url = excluded.url, spec = excluded.spec, paused = excluded.paused,
    version = excluded.version, last_event_id = excluded.last_event_id,
    updated_at = excluded.updated_at, removed_at = NULL
WHERE m.version < excluded.version AND m.account_id = excluded.account_id
"""

MARK_REMOVED = """
UPDATE monitors SET removed_at = %(at)s, updated_at = %(at)s, version = %(version)s,
                    last_event_id = %(event_id)s
WHERE id = %(id)s AND version < %(version)s
"""

MARK_TOMBSTONED = """
UPDATE monitors SET removed_at = coalesce(removed_at, %(at)s), version = %(version)s
WHERE id = %(id)s AND version < %(version)s
"""


async def apply_monitor_spec(
    conn: Connection, spec: MonitorSpec, event_id: uuid.UUID, version: int, at: datetime
) -> None:
    await conn.execute(
        UPSERT_MONITOR,
        {
            "id": uuid.UUID(spec.monitor_id),
            "account_id": uuid.UUID(spec.account_id),
            "name": spec.name,
            "url": spec.url,
            "spec": Jsonb(spec.model_dump(mode="json")),
            "paused": spec.paused,
            "version": version,
            "event_id": event_id,
            "at": at,
        },
    )


async def apply_monitor_removed(
    conn: Connection, monitor_id: uuid.UUID, event_id: uuid.UUID, version: int, at: datetime
) -> None:
    await conn.execute(
        MARK_REMOVED, {"id": monitor_id, "event_id": event_id, "version": version, "at": at}
    )


async def apply_monitor_tombstone(
    conn: Connection, monitor_id: uuid.UUID, version: int, at: datetime
) -> None:
    await conn.execute(MARK_TOMBSTONED, {"id": monitor_id, "version": version, "at": at})
