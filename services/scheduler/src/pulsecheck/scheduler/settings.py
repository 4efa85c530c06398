"""The scheduler's settings (PULSECHECK_* environment variables), built in `main`."""

from __future__ import annotations

from pydantic import Field

from pulsecheck.shared.settings import HealthPort, HealthSettings, MonitorPolicySettings


class SchedulerSettings(HealthSettings, MonitorPolicySettings):
    # a request is worth running until its next slot, never longer than this
    max_lateness_seconds: float = Field(default=300.0, gt=0)
    # a partition's clock emits due checks at most this often (one transaction per tick)
    tick_ms: int = Field(default=100, ge=5, le=5_000)
    # an idle partition still records its progress this often, bounding catch-up after downtime
    idle_checkpoint_seconds: float = Field(default=5.0, gt=0)
    # how long a dead replica's open transaction can hold back readers (read_committed)
    transaction_timeout_ms: int = Field(default=10_000, ge=1_000)
    session_timeout_ms: int = Field(default=10_000, ge=1_000)
    health_port: HealthPort = 8082
    consumer_group: str = "pulsecheck-scheduler"

    def group_id(self) -> str:
        return f"{self.topic_prefix}{self.consumer_group}"
