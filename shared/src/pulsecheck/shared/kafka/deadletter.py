"""Dead letters: what a consumer could not decode or handle, with where it came from and why.

A dead letter always fits the broker: the original value is kept whole only when small, else as
its SHA-256, its size and its first bytes. Publishing one never raises: a consumer that cannot
dead-letter a record logs it, counts it and moves on rather than stop for every tenant.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from pulsecheck.shared.events.common import Contract
from pulsecheck.shared.events.envelope import DecodeError, Envelope, decode, decode_expecting

log = logging.getLogger(__name__)

# base64 of this many bytes plus the rest of the letter stays far below the producer's 1 MiB
# max request size (a 1 MB original made a 1.3 MB letter the broker refused)
KEPT_VALUE_BYTES = 64 * 1024
KEPT_KEY_BYTES = 1024
KEPT_REASON_CHARS = 2000


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


@dataclass(frozen=True)
class Consumed:
    """A `ConsumedRecord` built from another client's record (e.g. faust's, in seconds)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    # epoch milliseconds, as aiokafka gives it
    timestamp: int


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
    # the first KEPT_VALUE_BYTES of the original value
    value_base64: str | None
    value_size: int | None = None
    value_sha256: str | None = None
    value_truncated: bool = False


class Publisher(Protocol):
    async def send_and_wait(
        self, topic: str, value: bytes | None = None, key: bytes | None = None, **kwargs: Any
    ) -> Any: ...


def dead_letter_for(
    record: ConsumedRecord, consumer: str, error_kind: str, reason: str, now: datetime
) -> DeadLetterRecord:
    value = record.value
    key = record.key[:KEPT_KEY_BYTES] if record.key is not None else None
    return DeadLetterRecord(
        original_topic=record.topic,
        original_partition=record.partition,
        original_offset=record.offset,
        original_timestamp_ms=record.timestamp,
        original_key=key.decode("utf-8", "replace") if key is not None else None,
        consumer=consumer,
        error_kind=error_kind,
        reason=reason[:KEPT_REASON_CHARS],
        failed_at=now,
        value_base64=base64.b64encode(value[:KEPT_VALUE_BYTES]).decode() if value else None,
        value_size=len(value) if value is not None else None,
        value_sha256=hashlib.sha256(value).hexdigest() if value is not None else None,
        value_truncated=value is not None and len(value) > KEPT_VALUE_BYTES,
    )


async def send_dead_letter(
    producer: Publisher,
    deadletter_topic: str,
    record: ConsumedRecord,
    consumer: str,
    error_kind: str,
    reason: str,
) -> bool:
    """True once the letter is durable; False (logged) when it could not be published."""
    try:
        letter = dead_letter_for(record, consumer, error_kind, reason, datetime.now(UTC))
        await producer.send_and_wait(
            deadletter_topic,
            letter.model_dump_json().encode(),
            key=record.key[:KEPT_KEY_BYTES] if record.key is not None else None,
            headers=[
                ("pulsecheck-reason", reason[:500].encode("utf-8", "replace")),
                ("pulsecheck-consumer", consumer.encode()),
            ],
        )
    except Exception:
        log.exception(
            "could not publish a dead letter; the record is skipped",
            extra={"topic": record.topic, "partition": record.partition, "offset": record.offset},
        )
        return False
    return True


async def decode_or_dead_letter(
    producer: Publisher,
    deadletter_topic: str,
    record: ConsumedRecord,
    consumer: str,
    belongs: Collection[str] | None = None,
    expected: type[Contract] | None = None,
) -> Envelope | None:
    """The decoded event, or None after the record went to the dead-letter topic; `expected`:
    the topic's usual event type, decoded in one pass (`decode_expecting`)."""
    if expected is None:
        decoded = decode(record.value, belongs)
    else:
        decoded = decode_expecting(record.value, expected, belongs)
    if isinstance(decoded, DecodeError):
        await send_dead_letter(
            producer, deadletter_topic, record, consumer, decoded.kind, decoded.reason
        )
        return None
    return decoded
