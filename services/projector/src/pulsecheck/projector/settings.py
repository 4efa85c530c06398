"""Settings of the projector, read from `PULSECHECK_*` variables."""

from __future__ import annotations

from pydantic import Field

from pulsecheck.shared.settings import DatabaseSettings, HealthPort, HealthSettings


class ProjectorSettings(DatabaseSettings, HealthSettings):
    """Built by the projector's main, never at import time."""

    # the projector's /healthz, /readyz and /metrics
    health_port: HealthPort = 8084
    # raw uptime/TLS results older than this are deleted; hourly and daily rollups stay
    raw_retention_days: int = Field(default=90, ge=1)
    # a live projector's batches hold what arrived within the wait; catching up (or a
    # rebuild) fills them, and bigger ones fold more results into each rollup row
    projector_batch_size: int = Field(default=20_000, ge=1, le=100_000)
    projector_batch_wait_ms: int = Field(default=200, ge=0, le=10_000)
