"""How one check of one monitor recurs: a fixed interval or a cron expression, both shifted
by the monitor's stable offset. Times are epoch milliseconds (UTC)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pulsecheck.scheduler.cron_calendar import fire_after, fire_at_or_before


class Cadence(Protocol):
    def next_after(self, instant_ms: int) -> int:
        """The first slot strictly after `instant_ms`."""
        ...

    def latest_at_or_before(self, instant_ms: int) -> int:
        """The last slot at or before `instant_ms`."""
        ...

    def period_ms(self) -> int:
        """The usual time between two slots (bounds a request's deadline)."""
        ...


@dataclass(frozen=True, slots=True)
class IntervalCadence:
    """Slots at k * interval + offset: a grid anchored to the epoch, so it survives restarts."""

    interval_ms: int
    offset_ms: int

    def next_after(self, instant_ms: int) -> int:
        k = (instant_ms - self.offset_ms) // self.interval_ms + 1
        return k * self.interval_ms + self.offset_ms

    def latest_at_or_before(self, instant_ms: int) -> int:
        k = (instant_ms - self.offset_ms) // self.interval_ms
        return k * self.interval_ms + self.offset_ms

    def period_ms(self) -> int:
        return self.interval_ms


@dataclass(frozen=True, slots=True)
class CronCadence:
    """Slots at each cron fire time + offset, the offset spreading monitors over a window."""

    expression: str
    offset_ms: int
    typical_period_ms: int

    def next_after(self, instant_ms: int) -> int:
        return fire_after(self.expression, instant_ms - self.offset_ms) + self.offset_ms

    def latest_at_or_before(self, instant_ms: int) -> int:
        return fire_at_or_before(self.expression, instant_ms - self.offset_ms) + self.offset_ms

    def period_ms(self) -> int:
        return self.typical_period_ms
