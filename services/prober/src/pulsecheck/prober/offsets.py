"""Which offset each partition may commit: everything below the oldest check still running.

Records start in offset order but finish in any order; committing the lowest unfinished
offset means a crash re-runs only unfinished checks (results are idempotent by event id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

PartitionT = TypeVar("PartitionT")


@dataclass
class PartitionProgress:
    in_flight: set[int] = field(default_factory=set)
    next_offset: int | None = None
    committed: int | None = None

    def committable(self) -> int | None:
        if self.in_flight:
            return min(self.in_flight)
        return self.next_offset


@dataclass
class OffsetTracker(Generic[PartitionT]):
    partitions: dict[PartitionT, PartitionProgress] = field(default_factory=dict)

    def started(self, partition: PartitionT, offset: int) -> None:
        progress = self.partitions.setdefault(partition, PartitionProgress())
        progress.in_flight.add(offset)
        progress.next_offset = max(offset + 1, progress.next_offset or 0)

    def finished(self, partition: PartitionT, offset: int) -> None:
        progress = self.partitions.get(partition)
        if progress is not None:
            progress.in_flight.discard(offset)

    def to_commit(self) -> dict[PartitionT, int]:
        """Offsets that moved since the last `committed` call."""
        pending: dict[PartitionT, int] = {}
        for partition, progress in self.partitions.items():
            offset = progress.committable()
            if offset is not None and offset != progress.committed:
                pending[partition] = offset
        return pending

    def committed(self, offsets: dict[PartitionT, int]) -> None:
        for partition, offset in offsets.items():
            if partition in self.partitions:
                self.partitions[partition].committed = offset

    def forget(self, partitions: list[PartitionT]) -> None:
        for partition in partitions:
            self.partitions.pop(partition, None)

    @property
    def in_flight(self) -> int:
        return sum(len(p.in_flight) for p in self.partitions.values())
