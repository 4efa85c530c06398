"""Settings of the query API, read from `PULSECHECK_*` variables."""

from __future__ import annotations

from pydantic import Field

from pulsecheck.shared.settings import (
    DatabaseSettings,
    MonitorPolicySettings,
    TrustSettings,
)


class QueryApiSettings(DatabaseSettings, MonitorPolicySettings, TrustSettings):
    """Built by the app factory, never at import time."""

    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    default_page_limit: int = Field(default=50, ge=1, le=1000)
    max_page_limit: int = Field(default=500, ge=1, le=10_000)
    db_pool_min_size: int = Field(default=2, ge=1)
    db_pool_max_size: int = Field(default=10, ge=1)
    # ad-hoc GET /check-ssl: requests allowed per minute, per API key and per client address
    check_ssl_per_minute: int = Field(default=10, ge=1)
    # pings of one heartbeat token: a job pings a few times a run, a loop pings far more
    pings_per_minute: int = Field(default=60, ge=1)
    ping_tokens_refresh_seconds: float = Field(default=30.0, gt=0)
    check_ssl_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # the web app's session cookie: Secure unless the app is served over plain loopback HTTP
    session_cookie_secure: bool = True
    session_hours: int = Field(default=168, ge=1, le=24 * 90)
