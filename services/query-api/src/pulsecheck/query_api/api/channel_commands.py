"""Configure and remove alert channels: validate by the channel registry, vet outbound URLs with
the one guard, seal the kind's secret fields, publish on the channels topic, write the row. A 4xx
means nothing was published.

The API seals to the notifier's public key and cannot open what it stored: a change that keeps
the target keeps its sealed value as it is, and a webhook's secret is generated here (shown once).
As for monitors (`monitor_commands`): publish first, then write, each database step on a
briefly borrowed connection, so no connection or lock is held while the broker is slow; a
per-channel lock of this process orders the changes of one channel.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from pulsecheck.channels.registry import UnknownChannelKind, checked_config, spec_of
from pulsecheck.channels.sealed import seal_channel
from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.checks.vetted_transport import refusal_reason
from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import ApiError, invalid, not_found
from pulsecheck.query_api.api.publishing import publish, publish_removal
from pulsecheck.query_api.api.quotas import enforce_channel_quota
from pulsecheck.read_model.event_ids import event_uuid
from pulsecheck.read_model.storage.channel_writes import (
    apply_channel_configured,
    apply_channel_removed,
)
from pulsecheck.read_model.storage.channels import get_channel
from pulsecheck.shared.events import (
    ChannelConfigured,
    ChannelRemoved,
    ChannelTestRequested,
    new_envelope,
)
from pulsecheck.shared.target_safety import TargetRefused, TargetUnresolvable

SOURCE = "pulsecheck/query-api"


def _lock_key(channel_id: uuid.UUID) -> str:
    return f"channel|{channel_id}"


async def _checked_target(context: AppContext, kind: str, target: str) -> str:
    """The kind's rules for a new target, and the guard for its URL: the normalised target."""
    try:
        config = checked_config(kind, target, None)
    except UnknownChannelKind as exc:
        raise invalid(str(exc), field="kind") from exc
    except ValidationError as exc:
        error = exc.errors()[0]
        where = str(error["loc"][0]) if error["loc"] else "target"
        raise invalid(f"the {kind} channel's {where}: {error['msg']}", field=where) from None
    url = config.outbound_url()
    if url is not None:
        # the guard the notifier posts through, with the same allow-list: refused here, not
        # only at send time
        try:
            await context.channel_guard.vet_url(url)
        except (ProbeFailure, TargetRefused, TargetUnresolvable) as exc:
            raise invalid(refusal_reason(exc), field="target") from None
    return config.target


def new_signing_secret() -> str:
    # 32 random bytes: not guessable offline from a captured signature
    return secrets.token_urlsafe(32)


def _sealed(context: AppContext, fields: dict[str, Any]) -> ChannelConfigured:
    return seal_channel(ChannelConfigured.model_validate(fields), context.channel_sealer)


async def _publish(context: AppContext, channel: ChannelConfigured) -> None:
    envelope = new_envelope(channel, source=SOURCE, subject=channel.channel_id)
    topic = context.topics.channels
    published = await publish(
        context.producer, topic, envelope, channel.channel_id,
        context.settings.publish_timeout_seconds,
    )  # fmt: skip
    context.metrics.events_published.labels(topic).inc()
    async with context.pool.connection() as conn:
        await apply_channel_configured(
            conn, channel, event_uuid(envelope.id), published.offset, envelope.time
        )


async def configure_channel(
    context: AppContext, account_id: uuid.UUID, fields: dict[str, Any]
) -> tuple[uuid.UUID, str | None]:
    """The new channel's id, and its generated signing secret (to be shown once) if it has one."""
    channel_id = uuid.uuid4()
    target = await _checked_target(context, fields["kind"], fields["target"])
    secret = new_signing_secret() if spec_of(fields["kind"]).config.GENERATES_SECRET else None
    channel = _sealed(
        context,
        {
            **fields,
            "channel_id": str(channel_id),
            "account_id": str(account_id),
            "target": target,
            "secret": secret,
        },
    )
    async with context.pool.connection() as conn:
        await enforce_channel_quota(context, conn, account_id)
    await _publish(context, channel)
    return channel_id, secret


def _current(row: dict[str, Any], account_id: uuid.UUID) -> dict[str, Any]:
    """The row as the event's fields, secret fields still sealed."""
    names = ("kind", "name", "target", "target_masked", "secret", "previous_secret")
    return {
        "channel_id": str(row["id"]),
        "account_id": str(account_id),
        **{name: row[name] for name in names},
        "previous_secret_until": row["previous_secret_until"],
        "enabled": row["enabled"],
        "event_types": row["event_types"],
    }


async def change_channel(
    context: AppContext,
    account_id: uuid.UUID,
    channel_id: uuid.UUID,
    changes: dict[str, Any],
) -> None:
    async with context.command_locks.hold(_lock_key(channel_id)):
        async with context.pool.connection() as conn:
            row = await get_channel(conn, account_id, channel_id)
        if row is None:
            raise not_found("channel")
        fields = {**_current(row, account_id), **changes}
        if "target" in changes:
            fields["target"] = await _checked_target(context, row["kind"], changes["target"])
            # a new target is shown by its own mask, made when it is sealed
            fields["target_masked"] = None
        await _publish(context, _sealed(context, fields))


async def rotate_secret(context: AppContext, account_id: uuid.UUID, channel_id: uuid.UUID) -> str:
    """A new generated secret; the old one (moved still sealed) signs too until the overlap
    ends, so the receiver can switch at its own pace."""
    async with context.command_locks.hold(_lock_key(channel_id)):
        async with context.pool.connection() as conn:
            row = await get_channel(conn, account_id, channel_id)
        if row is None:
            raise not_found("channel")
        if not spec_of(row["kind"]).config.GENERATES_SECRET:
            raise ApiError(409, "no_secret", f"a {row['kind']} channel has no signing secret")
        secret = new_signing_secret()
        overlap = timedelta(hours=context.settings.webhook_secret_overlap_hours)
        fields = {
            **_current(row, account_id),
            "secret": secret,
            "previous_secret": row["secret"],
            "previous_secret_until": context.clock() + overlap if row["secret"] else None,
        }
        await _publish(context, _sealed(context, fields))
    return secret


async def remove_channel(context: AppContext, account_id: uuid.UUID, channel_id: uuid.UUID) -> None:
    async with context.command_locks.hold(_lock_key(channel_id)):
        async with context.pool.connection() as conn:
            if await get_channel(conn, account_id, channel_id) is None:
                raise not_found("channel")
        payload = ChannelRemoved(channel_id=str(channel_id), account_id=str(account_id))
        envelope = new_envelope(payload, source=SOURCE, subject=str(channel_id))
        topic = context.topics.channels
        published = await publish_removal(
            context.producer, topic, envelope, str(channel_id),
            context.settings.publish_timeout_seconds,
        )  # fmt: skip
        context.metrics.events_published.labels(topic).inc(2)
        async with context.pool.connection() as conn:
            await apply_channel_removed(
                conn, channel_id, event_uuid(envelope.id), published.offset, envelope.time
            )


async def request_test(
    context: AppContext, account_id: uuid.UUID, channel_id: uuid.UUID
) -> tuple[str, ChannelTestRequested]:
    """Asks the notifier to send a test notice through the channel: the request's event id,
    which names the test, and the request. The notifier limits how often and reports the
    outcome as a delivery."""
    async with context.pool.connection() as conn:
        if await get_channel(conn, account_id, channel_id) is None:
            raise not_found("channel")
    payload = ChannelTestRequested(
        channel_id=str(channel_id), account_id=str(account_id), requested_at=context.clock()
    )
    envelope = new_envelope(payload, source=SOURCE, subject=str(channel_id))
    topic = context.topics.channel_tests
    await publish(
        context.producer, topic, envelope, str(channel_id),
        context.settings.publish_timeout_seconds,
    )  # fmt: skip
    context.metrics.events_published.labels(topic).inc()
    return envelope.id, payload
