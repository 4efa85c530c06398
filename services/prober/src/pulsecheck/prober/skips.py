"""The prober's skip ratio over a recent window, from its running totals (pure).

A prober that skips requests (they arrived past their deadline) is behind: it reports
`skipped / (completed + skipped)` over the window and turns unready past a threshold.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass
class SkipWindow:
    window_seconds: float
    started_at: float
    # (when, completed so far, skipped so far); the first one is the window's base
    _samples: deque[tuple[float, float, float]] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self._samples.append((self.started_at, 0.0, 0.0))

    def observe(self, now: float, completed: float, skipped: float) -> float:
        """Record the totals seen at `now`; the ratio over the last `window_seconds`."""
        self._samples.append((now, completed, skipped))
        # keep the newest sample at or before the window's start as the base
        while len(self._samples) > 2 and self._samples[1][0] <= now - self.window_seconds:
            self._samples.popleft()
        _, base_completed, base_skipped = self._samples[0]
        done = completed - base_completed
        missed = skipped - base_skipped
        return missed / (done + missed) if done + missed > 0 else 0.0
