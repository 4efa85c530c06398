"""Configure and remove alert channels: validate by the channel registry, vet outbound URLs with
the one guard, publish on the channels topic, write the row. A 4xx means nothing was published."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError

from pulsecheck.channels.registry import UnknownChannelKind, checked_config
from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.checks.vetted_transport import refusal_reason
from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import invalid, not_found
from pulsecheck.query_api.api.publishing import publish, publish_tombstone
from pulsecheck.query_api.api.quotas import enforce_channel_quota
from pulsecheck.read_model.event_ids import event_uuid
from pulsecheck.read_model.storage.channel_writes import (
    apply_channel_configured,
    apply_channel_removed,
)
from pulsecheck.read_model.storage.channels import get_channel
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.shared.events import ChannelConfigured, ChannelRemoved, new_envelope
from pulsecheck.shared.target_safety import TargetRefused, TargetUnresolvable

SOURCE = "pulsecheck/query-api"


async def _lock(conn: Connection, channel_id: uuid.UUID) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (str(channel_id),))


async def _configured(context: AppContext, fields: dict[str, Any]) -> ChannelConfigured:
    try:
        config = checked_config(fields["kind"], fields["target"], fields.get("secret"))
    except UnknownChannelKind as exc:
        raise invalid(str(exc), field="kind") from exc
    except ValidationError as exc:
        error = exc.errors()[0]
        where = str(error["loc"][0]) if error["loc"] else "target"
        raise invalid(
            f"the {fields['kind']} channel's {where}: {error['msg']}", field=where
        ) from None
    url = config.outbound_url()
    if url is not None:
        # the guard the notifier posts through, with the same allow-list: refused here, not
        # only at send time
        try:
            await context.channel_guard.vet_url(url)
        except (ProbeFailure, TargetRefused, TargetUnresolvable) as exc:
            raise invalid(refusal_reason(exc), field="target") from None
    return ChannelConfigured.model_validate({**fields, "target": config.target})


async def _publish(context: AppContext, conn: Connection, channel: ChannelConfigured) -> None:
    envelope = new_envelope(channel, source=SOURCE, subject=channel.channel_id)
    topic = context.topics.channels
    published = await publish(context.producer, topic, envelope, channel.channel_id)
    context.metrics.events_published.labels(topic).inc()
    await apply_channel_configured(
        conn, channel, event_uuid(envelope.id), published.offset, envelope.time
    )


async def configure_channel(
    context: AppContext, conn: Connection, account_id: uuid.UUID, fields: dict[str, Any]
) -> uuid.UUID:
    channel_id = uuid.uuid4()
    channel = await _configured(
        context, {**fields, "channel_id": str(channel_id), "account_id": str(account_id)}
    )
    async with conn.transaction():
        await enforce_channel_quota(context, conn, account_id)
        await _publish(context, conn, channel)
    return channel_id


async def change_channel(
    context: AppContext,
    conn: Connection,
    account_id: uuid.UUID,
    channel_id: uuid.UUID,
    changes: dict[str, Any],
) -> None:
    async with conn.transaction():
        await _lock(conn, channel_id)
        row = await get_channel(conn, account_id, channel_id)
        if row is None:
            raise not_found("channel")
        current = {
            "channel_id": str(channel_id),
            "account_id": str(account_id),
            "kind": row["kind"],
            "name": row["name"],
            "target": row["target"],
            "secret": row["secret"],
            "enabled": row["enabled"],
            "event_types": row["event_types"],
        }
        await _publish(context, conn, await _configured(context, {**current, **changes}))


async def remove_channel(
    context: AppContext, conn: Connection, account_id: uuid.UUID, channel_id: uuid.UUID
) -> None:
    async with conn.transaction():
        await _lock(conn, channel_id)
        if await get_channel(conn, account_id, channel_id) is None:
            raise not_found("channel")
        payload = ChannelRemoved(channel_id=str(channel_id), account_id=str(account_id))
        envelope = new_envelope(payload, source=SOURCE, subject=str(channel_id))
        topic = context.topics.channels
        published = await publish(context.producer, topic, envelope, str(channel_id))
        await publish_tombstone(context.producer, topic, str(channel_id))
        context.metrics.events_published.labels(topic).inc(2)
        await apply_channel_removed(
            conn, channel_id, event_uuid(envelope.id), published.offset, envelope.time
        )
