"""Register, change and remove monitors: validate, publish, then write the row we published.

A per-(account, URL) advisory lock spans check → publish → write so two concurrent POSTs of
one URL cannot both pass the duplicate check.
"""

from __future__ import annotations

import uuid
from typing import Any

from pulsecheck.query_api.api.check_requests import request_first_checks
from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import ApiError, invalid, not_found
from pulsecheck.query_api.api.publishing import publish, publish_tombstone
from pulsecheck.read_model.event_ids import event_uuid
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.monitor_writes import (
    apply_monitor_removed,
    apply_monitor_spec,
)
from pulsecheck.read_model.storage.monitors import (
    active_channel_ids,
    get_monitor,
    monitor_with_url,
)
from pulsecheck.shared.events import (
    InvalidSpec,
    MonitorRegistered,
    MonitorRemoved,
    MonitorSpec,
    MonitorUpdated,
    new_envelope,
    validated_spec,
)
from pulsecheck.shared.events.monitor_rules import SpecT

SOURCE = "pulsecheck/query-api"


def _lock_key(account_id: uuid.UUID, what: str) -> str:
    return f"{account_id}|{what}"


async def _lock(conn: Connection, key: str) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))


def checked_spec(fields: dict[str, Any], context: AppContext, model: type[SpecT]) -> SpecT:
    """The spec the event will carry, or a 422 naming the field that breaks a contract rule."""
    try:
        return validated_spec(
            model, fields, min_interval_seconds=context.settings.min_interval_seconds
        )
    except InvalidSpec as exc:
        first = exc.problems[0]
        raise invalid(str(exc), field=first.field) from exc


async def _check_channels(conn: Connection, account_id: uuid.UUID, spec: MonitorSpec) -> None:
    wanted = spec.alert_rules.channel_ids
    if not wanted:
        return
    missing = set(wanted) - await active_channel_ids(conn, account_id, wanted)
    if missing:
        raise invalid(
            f"unknown channel ids in alert_rules: {', '.join(sorted(missing))}",
            field="alert_rules.channel_ids",
        )


async def _refuse_duplicate(
    conn: Connection, account_id: uuid.UUID, url: str, except_id: uuid.UUID | None
) -> None:
    existing = await monitor_with_url(conn, account_id, url)
    if existing is not None and existing != except_id:
        raise ApiError(
            409,
            "duplicate_url",
            "a monitor for this URL already exists in this account",
            existing_id=str(existing),
        )


async def register_monitor(
    context: AppContext, conn: Connection, account_id: uuid.UUID, fields: dict[str, Any]
) -> uuid.UUID:
    monitor_id = uuid.uuid4()
    fields = {**fields, "monitor_id": str(monitor_id), "account_id": str(account_id)}
    spec = checked_spec(fields, context, MonitorRegistered)
    async with conn.transaction():
        await _lock(conn, _lock_key(account_id, spec.url))
        await _refuse_duplicate(conn, account_id, spec.url, None)
        await _check_channels(conn, account_id, spec)
        await _publish_spec(context, conn, spec)
    await request_first_checks(context, spec)
    return monitor_id


async def update_monitor(
    context: AppContext,
    conn: Connection,
    account_id: uuid.UUID,
    monitor_id: uuid.UUID,
    changes: dict[str, Any],
) -> None:
    async with conn.transaction():
        await _lock(conn, _lock_key(account_id, str(monitor_id)))
        row = await get_monitor(conn, account_id, monitor_id)
        if row is None:
            raise not_found("website")
        fields = {**row["spec"], **changes}
        spec = checked_spec(fields, context, MonitorUpdated)
        if spec.url != row["spec"]["url"]:
            await _lock(conn, _lock_key(account_id, spec.url))
            await _refuse_duplicate(conn, account_id, spec.url, monitor_id)
        await _check_channels(conn, account_id, spec)
        await _publish_spec(context, conn, spec)
    await request_first_checks(context, spec)


async def remove_monitor(
    context: AppContext, conn: Connection, account_id: uuid.UUID, monitor_id: uuid.UUID
) -> None:
    async with conn.transaction():
        await _lock(conn, _lock_key(account_id, str(monitor_id)))
        if await get_monitor(conn, account_id, monitor_id) is None:
            raise not_found("website")
        payload = MonitorRemoved(monitor_id=str(monitor_id), account_id=str(account_id))
        envelope = new_envelope(payload, source=SOURCE, subject=str(monitor_id))
        topic = context.topics.monitors
        published = await publish(context.producer, topic, envelope, str(monitor_id))
        await publish_tombstone(context.producer, topic, str(monitor_id))
        context.metrics.events_published.labels(topic).inc(2)
        await apply_monitor_removed(
            conn, monitor_id, event_uuid(envelope.id), published.offset, envelope.time
        )


async def _publish_spec(context: AppContext, conn: Connection, spec: MonitorSpec) -> None:
    envelope = new_envelope(spec, source=SOURCE, subject=spec.monitor_id)
    topic = context.topics.monitors
    published = await publish(context.producer, topic, envelope, spec.monitor_id)
    context.metrics.events_published.labels(topic).inc()
    await apply_monitor_spec(conn, spec, event_uuid(envelope.id), published.offset, envelope.time)
