"""Monitor records the scheduler refused, waiting to be dead-lettered in the owner's next
transaction, together with the checkpoint that says they were.

The monitors topic is compacted and re-read from offset 0 on every assignment, so a poison
record is seen again after every restart. Sending its dead letter in the same transaction as
a checkpoint carrying `refused_through` makes it go out exactly once: a later owner skips every
refusal below the offset its checkpoint names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pulsecheck.scheduler.monitor_records import Refused
from pulsecheck.shared.kafka.deadletter import (
    KEPT_KEY_BYTES,
    ConsumedRecord,
    DeadLetterRecord,
    dead_letter_for,
)


@dataclass(frozen=True)
class Outgoing:
    # (Kafka key, letter) of each refusal not dead-lettered before
    letters: list[tuple[bytes | None, DeadLetterRecord]]
    refused_through: int
    # how many pending refusals this covers (later ones may arrive meanwhile)
    count: int


@dataclass
class PendingRefusals:
    consumer: str
    # None until the partition's checkpoint is read: nothing can be judged new before that
    refused_through: int | None = None
    _pending: list[tuple[ConsumedRecord, Refused]] = field(default_factory=list)

    def add(self, record: ConsumedRecord, refused: Refused) -> None:
        self._pending.append((record, refused))

    def __bool__(self) -> bool:
        return bool(self._pending)

    def outgoing(self, now: datetime) -> Outgoing:
        through = self.refused_through or 0
        letters = [
            (
                record.key[:KEPT_KEY_BYTES] if record.key is not None else None,
                dead_letter_for(record, self.consumer, refused.error_kind, refused.reason, now),
            )
            for record, refused in self._pending
            if record.offset >= through
        ]
        last = max((record.offset + 1 for record, _ in self._pending), default=through)
        return Outgoing(letters, max(through, last), len(self._pending))

    def sent(self, outgoing: Outgoing) -> None:
        """`outgoing` is committed, with its checkpoint."""
        del self._pending[: outgoing.count]
        self.refused_through = outgoing.refused_through
