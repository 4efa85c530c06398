"""The topic registry: the single source of topic names and their configuration.

`Topics(prefix)` lets several installations (or test runs) share one cluster; the default
empty prefix gives the public names, e.g. `pulsecheck.checks.completed`.

Internal topics are named here too. faust names its own from the app id and the agent or
table name (`<app id>-<table>-changelog`); `Topics` derives the same names, the notifier
takes its app id and table names from here, and a test holds the two together. Every topic
is created by `pulsecheck-topics` before any service starts: faust is told never to create
one (a topic it creates while joining its group gets no partitions until the next metadata
refresh, five minutes later).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

HOUR_MS: Final = 3_600_000
DAY_MS: Final = 24 * HOUR_MS

NOTIFIER_APP: Final = "pulsecheck-notifier"
# the notifier's faust tables; their changelogs are named after them
NOTIFIER_STATE_TABLE: Final = "monitor-state"
NOTIFIER_DELIVERED_TABLE: Final = "deliveries"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    cleanup_policy: Literal["compact", "delete"]
    # None: keep forever
    retention_ms: int | None
    # keyed topics share one partition count so state stays co-partitioned with its input
    keyed_by_monitor: bool = True
    extra_config: dict[str, str] = field(default_factory=dict)
    # public topics are the contract other teams subscribe to; internal ones may change
    public: bool = True
    # the topic whose partitions this one mirrors (faust and the scheduler need them alike)
    source: str | None = None

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
    def channel_tests(self) -> str:
        """Test notices asked for through the API, keyed by channel id (the notifier sends)."""
        return f"{self.prefix}pulsecheck.channels.tests"

    @property
    def checks_requested(self) -> str:
        return f"{self.prefix}pulsecheck.checks.requested"

    @property
    def checks_completed(self) -> str:
        return f"{self.prefix}pulsecheck.checks.completed"

    @property
    def heartbeats(self) -> str:
        return f"{self.prefix}pulsecheck.heartbeats"

    @property
    def alerts(self) -> str:
        return f"{self.prefix}pulsecheck.alerts"

    @property
    def deadletter(self) -> str:
        return f"{self.prefix}pulsecheck.deadletter"

    @property
    def scheduler_progress(self) -> str:
        return f"{self.prefix}pulsecheck.scheduler.progress"

    @property
    def scheduler_heartbeats(self) -> str:
        """Each heartbeat's last ping and open run as the scheduler judged them."""
        return f"{self.prefix}pulsecheck.scheduler.heartbeats"

    @property
    def notifier_app_id(self) -> str:
        """The notifier's faust app id: its consumer group and the stem of its topics."""
        return f"{self.prefix}{NOTIFIER_APP}"

    @property
    def notifier_deliveries(self) -> str:
        return f"{self.notifier_app_id}-deliveries"

    @property
    def notifier_ticks(self) -> str:
        return f"{self.notifier_app_id}-ticks"

    def notifier_changelog(self, table: str) -> str:
        """The name faust gives a table's changelog (faust.tables.base._changelog_topic_name)."""
        return f"{self.notifier_app_id}-{table}-changelog"

    def specs(self) -> tuple[TopicSpec, ...]:
        return self.public_specs() + self.internal_specs()

    def public_specs(self) -> tuple[TopicSpec, ...]:
        return (
            TopicSpec(self.monitors, "compact", None, extra_config={"min.compaction.lag.ms": "0"}),
            TopicSpec(self.channels, "compact", None),
            TopicSpec(self.checks_requested, "delete", 6 * HOUR_MS),
            TopicSpec(self.checks_completed, "delete", self.checks_retention_days * DAY_MS),
            # the scheduler judges a ping once and keeps the outcome in its own state, so pings
            # need only outlive a scheduler outage
            TopicSpec(self.heartbeats, "delete", 7 * DAY_MS),
            TopicSpec(self.alerts, "delete", 365 * DAY_MS),
            TopicSpec(self.deadletter, "delete", 90 * DAY_MS, keyed_by_monitor=False),
        )

    def internal_specs(self) -> tuple[TopicSpec, ...]:
        """Keyed like their sources and partitioned alike: faust requires changelogs and the
        topics its agents read co-partitioned with checks.completed; the scheduler writes one
        checkpoint per monitors partition."""
        return (
            TopicSpec(
                self.scheduler_progress,
                "compact",
                None,
                extra_config={
                    # one checkpoint every tick: roll and clean often so the partition stays tiny
                    "segment.ms": str(HOUR_MS),
                    "min.cleanable.dirty.ratio": "0.1",
                    "min.compaction.lag.ms": "0",
                },
                public=False,
                source=self.monitors,
            ),
            # the scheduler's heartbeat state, written in the transactions of its checkpoints
            TopicSpec(
                self.scheduler_heartbeats,
                "compact",
                None,
                extra_config={"min.compaction.lag.ms": "0"},
                public=False,
                source=self.monitors,
            ),
            # a delivery request is worth nothing once its retries are over
            self._notifier(self.notifier_deliveries, "delete", 7 * DAY_MS),
            # a tick asks for what is due now; a later tick asks again
            self._notifier(self.notifier_ticks, "delete", DAY_MS),
            self._notifier(self.notifier_changelog(NOTIFIER_STATE_TABLE), "compact", None),
            self._notifier(self.notifier_changelog(NOTIFIER_DELIVERED_TABLE), "compact", None),
            # a test asked for and not sent within minutes is stale (the notifier refuses it)
            self._notifier(self.channel_tests, "delete", HOUR_MS),
        )

    def _notifier(
        self, name: str, cleanup_policy: Literal["compact", "delete"], retention_ms: int | None
    ) -> TopicSpec:
        return TopicSpec(
            name, cleanup_policy, retention_ms, public=False, source=self.checks_completed
        )
