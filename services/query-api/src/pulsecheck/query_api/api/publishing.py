"""Publish an event and learn where it landed: its offset orders a monitor's events.

A publish is bounded by its own timeout and is never done while holding a database
connection or lock. A broker that does not confirm in time is a 503 whose outcome is
unknown: the record may still be delivered when the broker returns, and then the projector
writes its row like any other event's, so nothing is half-done.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pulsecheck.query_api.api.errors import event_bus_unavailable
from pulsecheck.shared.events import Envelope, encode
from pulsecheck.shared.kafka.producer import EventProducer


@dataclass(frozen=True)
class Published:
    partition: int
    offset: int


async def publish(
    producer: EventProducer, topic: str, envelope: Envelope, key: str, confirm_within: float
) -> Published:
    try:
        async with asyncio.timeout(confirm_within):
            metadata = await producer.raw.send_and_wait(topic, encode(envelope), key=key.encode())
    except Exception as exc:  # any Kafka failure or timeout means the command is not confirmed
        raise event_bus_unavailable() from exc
    return Published(int(metadata.partition), int(metadata.offset))


async def publish_removal(
    producer: EventProducer, topic: str, envelope: Envelope, key: str, confirm_within: float
) -> Published:
    """The removal event, then the tombstone that lets compaction forget the key: one timeout
    for both."""
    try:
        async with asyncio.timeout(confirm_within):
            metadata = await producer.raw.send_and_wait(topic, encode(envelope), key=key.encode())
            await producer.tombstone(topic, key)
    except Exception as exc:
        raise event_bus_unavailable() from exc
    return Published(int(metadata.partition), int(metadata.offset))
