"""Sort a polled batch of Kafka records into what the writer does with each: pure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pulsecheck.projector.result_rows import ResultRow, result_row
from pulsecheck.read_model.event_ids import event_uuid
from pulsecheck.shared.events import (
    CheckCompleted,
    DecodeError,
    Envelope,
    decode,
    decode_expecting,
)
from pulsecheck.shared.events.registry import events_on
from pulsecheck.shared.kafka.deadletter import ConsumedRecord
from pulsecheck.shared.topics import Topics


@dataclass(frozen=True)
class OrderedEvent:
    """A low-volume event applied one by one, in partition order."""

    event_id: uuid.UUID
    envelope: Envelope
    topic: str
    partition: int
    offset: int


@dataclass(frozen=True)
class Tombstone:
    topic: str
    key: str
    offset: int
    at: datetime


@dataclass(frozen=True)
class Rejected:
    record: ConsumedRecord
    kind: str
    reason: str


@dataclass
class SortedBatch:
    ordered: list[OrderedEvent] = field(default_factory=list)
    results: list[ResultRow] = field(default_factory=list)
    # the record each result row came from, in the same order
    result_records: list[ConsumedRecord] = field(default_factory=list)
    tombstones: list[Tombstone] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    # (topic, partition) -> the offset to resume from once this batch is durable
    positions: dict[tuple[str, int], int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ordered) + len(self.results) + len(self.tombstones) + len(self.rejected)


def sort_records(records: list[ConsumedRecord], topics: Topics) -> SortedBatch:
    batch = SortedBatch()
    belongs = events_on(topics)
    for record in records:
        position = (record.topic, record.partition)
        batch.positions[position] = max(batch.positions.get(position, 0), record.offset + 1)
        _sort_one(record, topics, belongs.get(record.topic, frozenset()), batch)
    return batch


def _sort_one(
    record: ConsumedRecord, topics: Topics, belongs: frozenset[str], batch: SortedBatch
) -> None:
    if record.value is None and record.topic in (topics.monitors, topics.channels):
        # compaction tombstone: only the monitors topic's mean anything to the read model
        if record.topic == topics.monitors and record.key is not None:
            at = datetime.fromtimestamp(record.timestamp / 1000, UTC)
            key = record.key.decode("utf-8", "replace")
            batch.tombstones.append(Tombstone(record.topic, key, record.offset, at))
        return
    # results are nearly all of the volume: their topic's own type is decoded in one pass
    if record.topic == topics.checks_completed:
        decoded = decode_expecting(record.value, CheckCompleted, belongs)
    else:
        decoded = decode(record.value, belongs)
    if isinstance(decoded, DecodeError):
        batch.rejected.append(Rejected(record, decoded.kind, decoded.reason))
        return
    event_id = event_uuid(decoded.id)
    if isinstance(decoded.data, CheckCompleted):
        try:
            batch.results.append(result_row(event_id, decoded.data))
            batch.result_records.append(record)
        except ValueError as exc:
            batch.rejected.append(Rejected(record, "invalid_ids", f"ids must be UUIDs: {exc}"))
        return
    batch.ordered.append(
        OrderedEvent(event_id, decoded, record.topic, record.partition, record.offset)
    )
