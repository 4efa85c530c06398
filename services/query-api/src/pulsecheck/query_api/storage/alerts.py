"""Reads of incidents and notification attempts, scoped to one account."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pulsecheck.query_api.storage.connection import Connection

INCIDENT_COLUMNS = """id, monitor_id, kind, state, opened_at, resolved_at, duration_seconds,
    cause_kind, cause, failing_regions"""
NOTIFICATION_COLUMNS = """id, monitor_id, channel_id, channel_kind, trigger_type,
    trigger_event_id, attempt, outcome, at, provider_message_id, error, retryable, final"""


async def incident_page(
    conn: Connection,
    account_id: uuid.UUID,
    monitor_id: uuid.UUID | None,
    state: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[dict[str, Any]]:
    where = ["account_id = %(account)s"]
    params: dict[str, Any] = {"account": account_id, "limit": limit}
    if monitor_id is not None:
        where.append("monitor_id = %(monitor)s")
        params["monitor"] = monitor_id
    if state is not None:
        where.append("state = %(state)s")
        params["state"] = state
    if after is not None:
        where.append("(opened_at, id) < (%(after_at)s, %(after_id)s)")
        params["after_at"], params["after_id"] = after
    sql = (
        f"SELECT {INCIDENT_COLUMNS} FROM incidents WHERE "
        + " AND ".join(where)
        + " ORDER BY opened_at DESC, id DESC LIMIT %(limit)s"
    )
    cursor = await conn.execute(sql, params)
    return await cursor.fetchall()


async def notification_page(
    conn: Connection,
    account_id: uuid.UUID,
    monitor_id: uuid.UUID | None,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[dict[str, Any]]:
    where = ["account_id = %(account)s"]
    params: dict[str, Any] = {"account": account_id, "limit": limit}
    if monitor_id is not None:
        where.append("monitor_id = %(monitor)s")
        params["monitor"] = monitor_id
    if after is not None:
        where.append("(at, id) < (%(after_at)s, %(after_id)s)")
        params["after_at"], params["after_id"] = after
    sql = (
        f"SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE "
        + " AND ".join(where)
        + " ORDER BY at DESC, id DESC LIMIT %(limit)s"
    )
    cursor = await conn.execute(sql, params)
    return await cursor.fetchall()
