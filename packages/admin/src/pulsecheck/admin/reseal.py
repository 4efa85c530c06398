"""`pulsecheck-admin reseal --to-kid K`: after a new key pair is added, re-publish every channel
and monitor whose sealed values use another kid (or are still in the clear), sealed to K.

Channels are resealed when K is in the channel public keys, monitors' header credentials when it
is in the header public keys (name both new pairs alike to do both in one run).

It opens what it re-seals, so it runs with the consumers' key material: the channel private keys
(the notifier's) and the header private keys (the prober's), each listing every kid still in
use, and the public lists that hold K. Like the API it publishes first, then writes the row the
event describes (the projector would write the same row). A change made through the API while
it runs may be overwritten by the older copy it re-publishes: run it when no one edits.
"""

from __future__ import annotations

from dataclasses import dataclass

from pulsecheck.channels.sealed import resealed_channel
from pulsecheck.read_model.event_ids import event_uuid
from pulsecheck.read_model.storage.channel_writes import apply_channel_configured
from pulsecheck.read_model.storage.channels import COLUMNS
from pulsecheck.read_model.storage.connection import Connection, connect
from pulsecheck.read_model.storage.monitor_writes import apply_monitor_spec
from pulsecheck.shared.events import (
    ChannelConfigured,
    MonitorUpdated,
    encode,
    new_envelope,
)
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.sealing import Opener, Sealer, sealer_for
from pulsecheck.shared.sealing_headers import resealed_headers
from pulsecheck.shared.sealing_settings import (
    ChannelOpeningSettings,
    HeaderOpeningSettings,
    SealingSettings,
)
from pulsecheck.shared.settings import DatabaseSettings

SOURCE = "pulsecheck/admin"


class KidUnknown(ValueError):
    pass


class ResealSettings(
    DatabaseSettings, SealingSettings, ChannelOpeningSettings, HeaderOpeningSettings
):
    """Both public lists (to find K) and both private lists (to open every older kid)."""


@dataclass(frozen=True)
class Resealed:
    channels: int
    monitors: int


def _sealer(public_keys: str, kid: str) -> Sealer | None:
    try:
        return sealer_for(public_keys, kid)
    except KeyError:
        return None


async def _publish(
    conn: Connection,
    producer: EventProducer,
    topic: str,
    payload: ChannelConfigured | MonitorUpdated,
    key: str,
) -> int:
    envelope = new_envelope(payload, source=SOURCE, subject=key)
    metadata = await producer.raw.send_and_wait(topic, encode(envelope), key=key.encode())
    offset = int(metadata.offset)
    if isinstance(payload, ChannelConfigured):
        await apply_channel_configured(
            conn, payload, event_uuid(envelope.id), offset, envelope.time
        )
    else:
        await apply_monitor_spec(conn, payload, event_uuid(envelope.id), offset, envelope.time)
    return offset


async def _reseal_channels(
    conn: Connection, producer: EventProducer, topic: str, opener: Opener, sealer: Sealer
) -> int:
    query = f"SELECT {COLUMNS} FROM channels WHERE removed_at IS NULL ORDER BY id"
    rows = await (await conn.execute(query)).fetchall()
    count = 0
    for row in rows:
        fields = {name: row[name] for name in ChannelConfigured.model_fields if name in row}
        current = ChannelConfigured.model_validate(
            {**fields, "channel_id": str(row["id"]), "account_id": str(row["account_id"])}
        )
        resealed = resealed_channel(current, opener, sealer)
        if resealed is not None:
            await _publish(conn, producer, topic, resealed, resealed.channel_id)
            count += 1
    return count


async def _reseal_monitors(
    conn: Connection, producer: EventProducer, topic: str, opener: Opener, sealer: Sealer
) -> int:
    query = "SELECT spec FROM monitors WHERE removed_at IS NULL ORDER BY id"
    rows = await (await conn.execute(query)).fetchall()
    count = 0
    for row in rows:
        spec = MonitorUpdated.model_validate(row["spec"])
        http = resealed_headers(spec.http, spec.monitor_id, opener, sealer)
        if http is not None:
            resealed = spec.model_copy(update={"http": http})
            await _publish(conn, producer, topic, resealed, spec.monitor_id)
            count += 1
    return count


async def reseal(settings: ResealSettings, to_kid: str) -> Resealed:
    """Every channel and monitor sealed to `to_kid`; SealingError if one does not open (a
    private key missing: nothing after it is touched, run again once it is given)."""
    channel_sealer = _sealer(settings.sealing_public_keys, to_kid)
    header_sealer = _sealer(settings.header_sealing_public_keys, to_kid)
    if channel_sealer is None and header_sealer is None:
        raise KidUnknown(
            f"kid {to_kid!r} is in neither PULSECHECK_SEALING_PUBLIC_KEYS nor"
            " PULSECHECK_HEADER_SEALING_PUBLIC_KEYS"
        )
    topics = settings.topics()
    producer = EventProducer.connect(
        settings.kafka_bootstrap, "pulsecheck-admin-reseal", settings.kafka_security()
    )
    await producer.start()
    channels = monitors = 0
    try:
        async with await connect(settings.database_url, autocommit=True) as conn:
            if channel_sealer is not None:
                channels = await _reseal_channels(
                    conn, producer, topics.channels, settings.channel_opener(), channel_sealer
                )
            if header_sealer is not None:
                monitors = await _reseal_monitors(
                    conn, producer, topics.monitors, settings.header_opener(), header_sealer
                )
    finally:
        await producer.stop()
    return Resealed(channels, monitors)
