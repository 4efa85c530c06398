"""Account-wide lists for the web app: incidents (open first), deliveries, certificates."""

from __future__ import annotations

import uuid
from typing import Any

from pulsecheck.read_model.storage.connection import Connection


async def account_incidents(
    conn: Connection, account_id: uuid.UUID, limit: int
) -> list[dict[str, Any]]:
    cursor = await conn.execute(
        "SELECT i.id, i.monitor_id, m.name, i.kind, i.state, i.opened_at, i.resolved_at,"
        " i.duration_seconds, i.cause, i.failing_regions"
        " FROM incidents i LEFT JOIN monitors m ON m.id = i.monitor_id"
        " WHERE i.account_id = %s"
        " ORDER BY (i.state = 'open') DESC, i.opened_at DESC, i.id DESC LIMIT %s",
        (account_id, limit),
    )
    return await cursor.fetchall()


async def account_notifications(
    conn: Connection, account_id: uuid.UUID, limit: int
) -> list[dict[str, Any]]:
    cursor = await conn.execute(
        "SELECT n.at, n.monitor_id, m.name AS website, c.name AS channel, n.channel_kind,"
        " n.trigger_type, n.attempt, n.outcome, n.error, n.final"
        " FROM notifications n LEFT JOIN monitors m ON m.id = n.monitor_id"
        " LEFT JOIN channels c ON c.id::text = n.channel_id"
        " WHERE n.account_id = %s ORDER BY n.at DESC, n.id DESC LIMIT %s",
        (account_id, limit),
    )
    return await cursor.fetchall()


async def account_certificates(conn: Connection, account_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every live website with a certificate check, soonest expiry first."""
    cursor = await conn.execute(
        "SELECT m.id, m.name, m.url, t.checked_at, t.valid_until, t.chain_earliest_expiry,"
        " t.issuer, t.is_valid, t.error, least(t.valid_until, t.chain_earliest_expiry) AS expires"
        " FROM monitors m JOIN LATERAL ("
        "   SELECT checked_at, valid_until, chain_earliest_expiry, issuer, is_valid, error"
        "   FROM tls_results WHERE monitor_id = m.id ORDER BY checked_at DESC, id DESC LIMIT 1"
        " ) t ON true"
        " WHERE m.account_id = %s AND m.removed_at IS NULL"
        " ORDER BY expires ASC NULLS LAST, lower(m.name)",
        (account_id,),
    )
    return await cursor.fetchall()
