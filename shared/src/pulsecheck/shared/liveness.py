"""Pure stall detectors behind every worker's `/healthz`: each takes `now` as an argument.

- `ProgressWatch`: a consumer whose position does not move while it has lag is stuck.
- `TimerWatch`: a periodic task that stopped beating is stuck.
- `partitions_missing`: a consumer that holds none of a topic's partitions, while the topic has
  some and no other member of its group could hold them, is stuck (the fresh-start trap).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class _Progress:
    position: int
    end: int
    moved_at: float


@dataclass
class ProgressWatch:
    """Per partition: the consumer's position, the log's end, and when the position last moved.

    A partition is stuck when it has lag (position < end) and its position has not moved for
    `stall_after_seconds`. A partition without lag is never stuck, however long it is idle.
    """

    stall_after_seconds: float
    _partitions: dict[str, _Progress] = field(default_factory=dict)

    def observe(self, partition: str, position: int, end: int, now: float) -> None:
        seen = self._partitions.get(partition)
        if seen is None or position != seen.position or seen.position >= seen.end:
            # new, moved, or it had caught up: the stall clock starts now
            self._partitions[partition] = _Progress(position, end, now)
        else:
            seen.end = end

    def forget(self, partition: str) -> None:
        """The partition was revoked: its progress is someone else's now."""
        self._partitions.pop(partition, None)

    def lag(self) -> int:
        return sum(max(0, p.end - p.position) for p in self._partitions.values())

    def stuck(self, now: float) -> list[str]:
        return sorted(
            name
            for name, p in self._partitions.items()
            if p.position < p.end and now - p.moved_at >= self.stall_after_seconds
        )


@dataclass
class TimerWatch:
    """A periodic task beats on every tick; silent for `tolerance` intervals means it stopped."""

    interval_seconds: float
    started_at: float
    tolerance: float = 3.0
    last_beat: float | None = None

    def beat(self, now: float) -> None:
        self.last_beat = now

    def silent_for(self, now: float) -> float:
        return now - (self.started_at if self.last_beat is None else self.last_beat)

    def silent(self, now: float) -> bool:
        return self.silent_for(now) > self.interval_seconds * self.tolerance


def partitions_missing(held: int, topic_partitions: int, group_members: int) -> bool:
    """True when this member holds nothing although the topic has partitions it should share.

    With more members than partitions some members rightly hold nothing, so only a member that
    is alone (or one of no more members than partitions) and holds nothing is stuck.
    """
    return held == 0 and topic_partitions > 0 and group_members <= topic_partitions
