"""Reads of incidents and notification attempts, scoped to one account."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pulsecheck.read_model.storage.connection import Connection

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
    filters = {"account_id": account_id, "monitor_id": monitor_id, "state": state}
    return await _newest_first(
        conn, "incidents", INCIDENT_COLUMNS, "opened_at", filters, after, limit
    )


async def notification_page(
    conn: Connection,
    account_id: uuid.UUID,
    monitor_id: uuid.UUID | None,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[dict[str, Any]]:
    filters = {"account_id": account_id, "monitor_id": monitor_id}
    return await _newest_first(
        conn, "notifications", NOTIFICATION_COLUMNS, "at", filters, after, limit
    )


async def _newest_first(
    conn: Connection,
    table: str,
    columns: str,
    time_column: str,
    filters: dict[str, Any],
    after: tuple[datetime, Any] | None,
    limit: int,
) -> list[dict[str, Any]]:
    """One keyset page of `table`, newest first; filters whose value is None are left out."""
    params: dict[str, Any] = {k: v for k, v in filters.items() if v is not None}
    where = [f"{column} = %({column})s" for column in params]
    params["limit"] = limit
    if after is not None:
        where.append(f"({time_column}, id) < (%(after_at)s, %(after_id)s)")
        params["after_at"], params["after_id"] = after
    sql = (
        f"SELECT {columns} FROM {table} WHERE {' AND '.join(where)}"
        f" ORDER BY {time_column} DESC, id DESC LIMIT %(limit)s"
    )
    cursor = await conn.execute(sql, params)
    return await cursor.fetchall()
