"""Settings of the query API and its projector, read from `PULSECHECK_*` variables."""

from __future__ import annotations

from pydantic import Field

from pulsecheck.shared.settings import (
    DatabaseSettings,
    HealthPort,
    HealthSettings,
    MonitorPolicySettings,
    TrustSettings,
)


class QueryApiSettings(DatabaseSettings, HealthSettings, MonitorPolicySettings, TrustSettings):
    """Built by the app factory (or the projector's main), never at import time."""

    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    # the projector's /healthz, /readyz and /metrics
    health_port: HealthPort = 8084
    default_page_limit: int = Field(default=50, ge=1, le=1000)
    max_page_limit: int = Field(default=500, ge=1, le=10_000)
    db_pool_min_size: int = Field(default=2, ge=1)
    db_pool_max_size: int = Field(default=10, ge=1)
    # ad-hoc GET /check-ssl: requests allowed per minute, per API key and per client address
    check_ssl_per_minute: int = Field(default=10, ge=1)
    check_ssl_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # raw uptime/TLS results older than this are deleted; hourly and daily rollups stay
    raw_retention_days: int = Field(default=90, ge=1)
    # a live projector's batches hold what arrived within the wait; catching up (or a
    # rebuild) fills them, and bigger ones fold more results into each rollup row
    projector_batch_size: int = Field(default=20_000, ge=1, le=100_000)
    projector_batch_wait_ms: int = Field(default=200, ge=0, le=10_000)
