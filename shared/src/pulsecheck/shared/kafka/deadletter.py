"""Dead letters: what a consumer could not decode or handle, with where it came from and why."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from pulsecheck.shared.events.envelope import DecodeError, Envelope, decode


class ConsumedRecord(Protocol):
    """The parts of a consumed Kafka record a dead letter needs (aiokafka's ConsumerRecord)."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes | None: ...
    @property
    def timestamp(self) -> int: ...


class DeadLetterRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    original_topic: str
    original_partition: int
    original_offset: int
    original_timestamp_ms: int | None
    original_key: str | None
    consumer: str
    error_kind: str
    reason: str
    failed_at: datetime
    value_base64: str | None


class Publisher(Protocol):
    async def send_and_wait(
        self, topic: str, value: bytes | None = None, key: bytes | None = None, **kwargs: Any
    ) -> Any: ...


def dead_letter_for(
    record: ConsumedRecord, consumer: str, error_kind: str, reason: str, now: datetime
) -> DeadLetterRecord:
    return DeadLetterRecord(
        original_topic=record.topic,
        original_partition=record.partition,
        original_offset=record.offset,
        original_timestamp_ms=record.timestamp,
        original_key=record.key.decode("utf-8", "replace") if record.key is not None else None,
        consumer=consumer,
        error_kind=error_kind,
        reason=reason,
        failed_at=now,
        value_base64=base64.b64encode(record.value).decode() if record.value is not None else None,
    )


async def send_dead_letter(
    producer: Publisher,
    deadletter_topic: str,
    record: ConsumedRecord,
    consumer: str,
    error_kind: str,
    reason: str,
) -> None:
    letter = dead_letter_for(record, consumer, error_kind, reason, datetime.now(UTC))
    await producer.send_and_wait(
        deadletter_topic,
        letter.model_dump_json().encode(),
        key=record.key,
        headers=[
            ("pulsecheck-reason", reason[:500].encode()),
            ("pulsecheck-consumer", consumer.encode()),
        ],
    )


async def decode_or_dead_letter(
    producer: Publisher, deadletter_topic: str, record: ConsumedRecord, consumer: str
) -> Envelope | None:
    """The decoded event, or None after the record went to the dead-letter topic."""
    decoded = decode(record.value)
    if isinstance(decoded, DecodeError):
        await send_dead_letter(
            producer, deadletter_topic, record, consumer, decoded.kind, decoded.reason
        )
        return None
    return decoded
