"""Register, change and remove monitors: validate, check, publish, then write the row we published.

Publish first, then write (not a transactional outbox): the topic is the truth and the
row's version is the event's offset, which only a publish yields; a client learns at once
whether the broker took its change (an outbox would answer 201 for a change the broker may
not see for minutes). So no database connection or lock is held while publishing:
- the checks (current row, duplicate URL, channels) run on a briefly borrowed connection;
- publish, bounded by `publish_timeout_seconds`; a 4xx is decided before it, so a 4xx means
  nothing was published; a broker outage is a 503;
- the row is written on another brief connection, idempotently (`version < offset`): if that
  write fails the projector writes the same row from the event, so there is never a row
  without its event, nor (once recovered) an event without its row.
Header credentials (Authorization, Cookie, Proxy-Authorization, and the monitor's own
`secret_headers`) are sealed to the prober's key before anything is published or written; the
API cannot open them, so a change that keeps a header (or sends its mask back) keeps its sealed
value.
A per-(account, URL) and per-monitor lock of this process (`KeyedLocks`) spans check →
publish → write so two concurrent POSTs of one URL cannot both pass the duplicate check.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from pulsecheck.query_api.api.check_requests import request_first_checks
from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import ApiError, invalid, not_found
from pulsecheck.query_api.api.merge_patch import merge_patch
from pulsecheck.query_api.api.publishing import publish, publish_removal
from pulsecheck.query_api.api.quotas import enforce_monitor_limits
from pulsecheck.read_model.change_notices import Change, notify_changes
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
from pulsecheck.shared.sealing_headers import kept_sealed, seal_headers

SOURCE = "pulsecheck/query-api"
SealedT = TypeVar("SealedT", bound=MonitorSpec)


def lock_key(account_id: uuid.UUID, what: str) -> str:
    return f"{account_id}|{what}"


def checked_spec(fields: dict[str, Any], context: AppContext, model: type[SpecT]) -> SpecT:
    """The spec the event will carry, or a 422 naming the field that breaks a contract rule."""
    try:
        return validated_spec(
            model, fields, min_interval_seconds=context.settings.min_interval_seconds
        )
    except InvalidSpec as exc:
        first = exc.problems[0]
        raise invalid(str(exc), field=first.field) from exc


def sealed_spec(context: AppContext, spec: SealedT) -> SealedT:
    """The spec with its header credentials sealed: what is published, stored and checked."""
    http = seal_headers(spec.http, spec.monitor_id, context.header_sealer)
    return spec.model_copy(update={"http": http})


def _keeping_sealed(fields: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """A masked header given back stands for the stored sealed value the API cannot read."""
    http = fields.get("http")
    if not isinstance(http, dict) or not isinstance(http.get("headers"), dict):
        return fields
    headers = kept_sealed(http["headers"], stored["http"]["headers"])
    return {**fields, "http": {**http, "headers": headers}}


async def check_channels(conn: Connection, account_id: uuid.UUID, spec: MonitorSpec) -> None:
    wanted = spec.alert_rules.channels
    if wanted == "all":
        return
    missing = set(wanted) - await active_channel_ids(conn, account_id, wanted)
    if missing:
        raise invalid(
            f"unknown channel ids in alert_rules: {', '.join(sorted(missing))}",
            field="alert_rules.channels",
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
    context: AppContext, account_id: uuid.UUID, fields: dict[str, Any]
) -> uuid.UUID:
    monitor_id = uuid.uuid4()
    fields = {**fields, "monitor_id": str(monitor_id), "account_id": str(account_id)}
    spec = sealed_spec(context, checked_spec(fields, context, MonitorRegistered))
    async with context.command_locks.hold(lock_key(account_id, spec.url)):
        async with context.pool.connection() as conn:
            await _refuse_duplicate(conn, account_id, spec.url, None)
            await enforce_monitor_limits(context, conn, account_id, spec, new=True)
            await check_channels(conn, account_id, spec)
        await _publish_spec(context, spec)
    await request_first_checks(context, spec)
    return monitor_id


async def update_monitor(
    context: AppContext,
    account_id: uuid.UUID,
    monitor_id: uuid.UUID,
    changes: dict[str, Any],
) -> None:
    async with context.command_locks.hold(lock_key(account_id, str(monitor_id))):
        async with context.pool.connection() as conn:
            row = await get_monitor(conn, account_id, monitor_id)
        if row is None:
            raise not_found("website")
        # `changes` is a merge patch (RFC 7396); the merged spec is validated whole
        fields = _keeping_sealed(merge_patch(row["spec"], changes), row["spec"])
        spec = sealed_spec(context, checked_spec(fields, context, MonitorUpdated))
        if spec.url == row["spec"]["url"]:
            await _checked_and_published(context, account_id, spec, None)
        else:
            async with context.command_locks.hold(lock_key(account_id, spec.url)):
                await _checked_and_published(context, account_id, spec, monitor_id)
    await request_first_checks(context, spec)


async def _checked_and_published(
    context: AppContext,
    account_id: uuid.UUID,
    spec: MonitorSpec,
    moved: uuid.UUID | None,
) -> None:
    """Check the spec's channels (and, for a `moved` monitor, its new URL), then publish."""
    async with context.pool.connection() as conn:
        if moved is not None:
            await _refuse_duplicate(conn, account_id, spec.url, moved)
        await enforce_monitor_limits(context, conn, account_id, spec, new=False)
        await check_channels(conn, account_id, spec)
    await _publish_spec(context, spec)


async def remove_monitor(context: AppContext, account_id: uuid.UUID, monitor_id: uuid.UUID) -> None:
    async with context.command_locks.hold(lock_key(account_id, str(monitor_id))):
        async with context.pool.connection() as conn:
            if await get_monitor(conn, account_id, monitor_id) is None:
                raise not_found("website")
        payload = MonitorRemoved(monitor_id=str(monitor_id), account_id=str(account_id))
        envelope = new_envelope(payload, source=SOURCE, subject=str(monitor_id))
        topic = context.topics.monitors
        published = await publish_removal(
            context.producer, topic, envelope, str(monitor_id), _publish_timeout(context)
        )
        context.metrics.events_published.labels(topic).inc(2)
        # published is removed: a heartbeat's token stops working here now, and in the other
        # replicas when they hear the notice (ping_tokens.py)
        context.ping_tokens.forget_monitor(monitor_id)
        async with context.pool.connection() as conn:
            await apply_monitor_removed(
                conn, monitor_id, event_uuid(envelope.id), published.offset, envelope.time
            )
            await notify_changes(conn, [Change(account_id, monitor_id)])


def _publish_timeout(context: AppContext) -> float:
    return context.settings.publish_timeout_seconds


async def _publish_spec(context: AppContext, spec: MonitorSpec) -> None:
    envelope = new_envelope(spec, source=SOURCE, subject=spec.monitor_id)
    topic = context.topics.monitors
    published = await publish(
        context.producer, topic, envelope, spec.monitor_id, _publish_timeout(context)
    )
    context.metrics.events_published.labels(topic).inc()
    async with context.pool.connection() as conn:
        await apply_monitor_spec(
            conn, spec, event_uuid(envelope.id), published.offset, envelope.time
        )
