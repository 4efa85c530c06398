"""Apply one low-volume event (monitor, channel, incident, notification) to the read model."""

from __future__ import annotations

import uuid

from pulsecheck.projector.batch import OrderedEvent, Tombstone
from pulsecheck.read_model.storage.channel_writes import (
    apply_channel_configured,
    apply_channel_removed,
)
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.monitor_writes import (
    apply_monitor_removed,
    apply_monitor_spec,
    apply_monitor_tombstone,
)
from pulsecheck.shared.events import (
    ChannelConfigured,
    ChannelRemoved,
    IncidentOpened,
    IncidentResolved,
    MonitorRegistered,
    MonitorRemoved,
    MonitorUpdated,
    NotificationFailed,
    NotificationSent,
)

UPSERT_OPENED = """
INSERT INTO incidents (id, monitor_id, account_id, kind, state, opened_at, cause_kind, cause,
                       failing_regions)
VALUES (%s, %s, %s, %s, 'open', %s, %s, %s, %s)
ON CONFLICT (id) DO NOTHING
"""

UPSERT_RESOLVED = """
INSERT INTO incidents AS i (id, monitor_id, account_id, kind, state, opened_at, resolved_at,
                            duration_seconds)
VALUES (%s, %s, %s, %s, 'resolved', %s, %s, %s)
ON CONFLICT (id) DO UPDATE SET state = 'resolved', resolved_at = excluded.resolved_at,
                               duration_seconds = excluded.duration_seconds
"""

INSERT_NOTIFICATION = """
INSERT INTO notifications (event_id, delivery_key, monitor_id, account_id, channel_id,
    channel_kind, trigger_event_id, trigger_type, attempt, outcome, at, provider_message_id,
    error, retryable, final)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (event_id) DO NOTHING
"""


async def apply_event(conn: Connection, event: OrderedEvent) -> None:
    """ValueError when the event's ids are not UUIDs (the caller dead-letters it)."""
    data = event.envelope.data
    at = event.envelope.time
    if isinstance(data, MonitorRegistered | MonitorUpdated):
        await apply_monitor_spec(conn, data, event.event_id, event.offset, at)
    elif isinstance(data, MonitorRemoved):
        await apply_monitor_removed(
            conn, uuid.UUID(data.monitor_id), event.event_id, event.offset, at
        )
    elif isinstance(data, ChannelConfigured):
        await apply_channel_configured(conn, data, event.event_id, event.offset, at)
    elif isinstance(data, ChannelRemoved):
        await apply_channel_removed(
            conn, uuid.UUID(data.channel_id), event.event_id, event.offset, at
        )
    elif isinstance(data, IncidentOpened):
        await conn.execute(
            UPSERT_OPENED,
            (
                data.incident_id, uuid.UUID(data.monitor_id), uuid.UUID(data.account_id),
                data.kind, data.opened_at, data.cause.kind.value if data.cause else None,
                data.cause.message if data.cause else None, data.failing_regions,
            ),
        )  # fmt: skip
    elif isinstance(data, IncidentResolved):
        await conn.execute(
            UPSERT_RESOLVED,
            (
                data.incident_id, uuid.UUID(data.monitor_id), uuid.UUID(data.account_id),
                data.kind, data.opened_at, data.resolved_at, data.duration_seconds,
            ),
        )  # fmt: skip
    elif isinstance(data, NotificationSent | NotificationFailed):
        sent = isinstance(data, NotificationSent)
        await conn.execute(
            INSERT_NOTIFICATION,
            (
                event.event_id, data.delivery_key, uuid.UUID(data.monitor_id),
                uuid.UUID(data.account_id), data.channel_id, data.channel_kind,
                data.trigger_event_id, data.trigger_type, data.attempt,
                "sent" if sent else "failed",
                data.sent_at if isinstance(data, NotificationSent) else data.failed_at,
                data.provider_message_id if isinstance(data, NotificationSent) else None,
                None if isinstance(data, NotificationSent) else data.error,
                None if isinstance(data, NotificationSent) else data.retryable,
                None if isinstance(data, NotificationSent) else data.final,
            ),
        )  # fmt: skip
    # other types (certificate warnings, check requests or skips) leave no row


async def apply_tombstone(conn: Connection, tombstone: Tombstone) -> None:
    try:
        monitor_id = uuid.UUID(tombstone.key)
    except ValueError:
        return
    await apply_monitor_tombstone(conn, monitor_id, tombstone.offset, tombstone.at)
