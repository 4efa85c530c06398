"""The topic registry: the single source of topic names and their configuration.

`Topics(prefix)` lets several installations (or test runs) share one cluster; the default
empty prefix gives the public names, e.g. `pulsecheck.checks.completed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

HOUR_MS: Final = 3_600_000
DAY_MS: Final = 24 * HOUR_MS


@dataclass(frozen=True)
class TopicSpec:
    name: str
    cleanup_policy: Literal["compact", "delete"]
    # None: keep forever
    retention_ms: int | None
    # keyed topics share one partition count so state stays co-partitioned with its input
    keyed_by_monitor: bool = True
    extra_config: dict[str, str] = field(default_factory=dict)

    def config(self) -> dict[str, str]:
        config = {"cleanup.policy": self.cleanup_policy, **self.extra_config}
        config["retention.ms"] = "-1" if self.retention_ms is None else str(self.retention_ms)
        return config


@dataclass(frozen=True)
class Topics:
    prefix: str = ""
    checks_retention_days: int = 7

    @property
    def monitors(self) -> str:
        return f"{self.prefix}pulsecheck.monitors"

    @property
    def channels(self) -> str:
        return f"{self.prefix}pulsecheck.channels"

    @property
    def checks_requested(self) -> str:
        return f"{self.prefix}pulsecheck.checks.requested"

    @property
    def checks_completed(self) -> str:
        return f"{self.prefix}pulsecheck.checks.completed"

    @property
    def alerts(self) -> str:
        return f"{self.prefix}pulsecheck.alerts"

    @property
    def deadletter(self) -> str:
        return f"{self.prefix}pulsecheck.deadletter"

    def specs(self) -> tuple[TopicSpec, ...]:
        return (
            TopicSpec(self.monitors, "compact", None, extra_config={"min.compaction.lag.ms": "0"}),
            TopicSpec(self.channels, "compact", None),
            TopicSpec(self.checks_requested, "delete", 6 * HOUR_MS),
            TopicSpec(self.checks_completed, "delete", self.checks_retention_days * DAY_MS),
            TopicSpec(self.alerts, "delete", 365 * DAY_MS),
            TopicSpec(self.deadletter, "delete", 90 * DAY_MS, keyed_by_monitor=False),
        )
