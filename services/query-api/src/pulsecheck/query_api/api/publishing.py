"""Publish an event and learn where it landed: its offset orders a monitor's events."""

from __future__ import annotations

from dataclasses import dataclass

from pulsecheck.query_api.api.errors import event_bus_unavailable
from pulsecheck.shared.events import Envelope, encode
from pulsecheck.shared.kafka.producer import EventProducer


@dataclass(frozen=True)
class Published:
    partition: int
    offset: int


async def publish(producer: EventProducer, topic: str, envelope: Envelope, key: str) -> Published:
    try:
        metadata = await producer.raw.send_and_wait(topic, encode(envelope), key=key.encode())
    except Exception as exc:  # any Kafka failure means the command did not happen
        raise event_bus_unavailable() from exc
    return Published(int(metadata.partition), int(metadata.offset))


async def publish_tombstone(producer: EventProducer, topic: str, key: str) -> None:
    try:
        await producer.tombstone(topic, key)
    except Exception as exc:
        raise event_bus_unavailable() from exc
