"""Settings of the query API, read from `PULSECHECK_*` variables."""

from __future__ import annotations

from pydantic import Field

from pulsecheck.shared.sealing_settings import SealingSettings
from pulsecheck.shared.settings import (
    DatabaseSettings,
    MonitorPolicySettings,
    TrustSettings,
)


class QueryApiSettings(DatabaseSettings, MonitorPolicySettings, TrustSettings, SealingSettings):
    """Built by the app factory, never at import time."""

    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    default_page_limit: int = Field(default=50, ge=1, le=1000)
    max_page_limit: int = Field(default=500, ge=1, le=10_000)
    db_pool_min_size: int = Field(default=2, ge=1)
    db_pool_max_size: int = Field(default=10, ge=1)
    # how long a request waits for a pooled connection before it answers 503: short, so an
    # outage or a saturated pool is a quick, retryable answer rather than a 30 s hang
    db_pool_timeout_seconds: float = Field(default=3.0, gt=0, le=60)
    # how long a command waits for the broker to take its event before it answers 503
    publish_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    # ad-hoc GET /check-ssl: requests allowed per minute, per API key and per client address
    check_ssl_per_minute: int = Field(default=10, ge=1)
    # pings of one heartbeat token: a job pings a few times a run, a loop pings far more
    pings_per_minute: int = Field(default=60, ge=1)
    ping_tokens_refresh_seconds: float = Field(default=30.0, gt=0)
    check_ssl_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # check-now and POST check-ssl: requests per minute per API key, and per account (all
    # its keys together); GET /check-ssl counts against both too
    on_demand_per_minute_per_key: int = Field(default=10, ge=1)
    on_demand_per_minute_per_account: int = Field(default=30, ge=1)
    # quotas of every account, unless the account's own row overrides them
    max_monitors_per_account: int = Field(default=500, ge=0)
    max_channels_per_account: int = Field(default=50, ge=0)
    # the ports a TCP check may reach (comma-separated) unless the account may use any port:
    # a prober that connects anywhere is a port scanner for hire
    allowed_tcp_ports: str = "22,25,80,443,465,587,993,995,3306,5432,6379,8080,8443"
    # addresses whose X-Forwarded-For / -Proto uvicorn believes (comma-separated, "*" for
    # any); none by default, so the per-address rate limit counts the real peer
    forwarded_allow_ips: str = ""
    # the web app's session cookie: Secure unless the app is served over plain loopback HTTP
    session_cookie_secure: bool = True
    session_hours: int = Field(default=168, ge=1, le=24 * 90)
    # after a webhook secret's rotation, how long deliveries are signed with the old one too
    webhook_secret_overlap_hours: float = Field(default=24, ge=0, le=24 * 30)

    def tcp_ports(self) -> frozenset[int]:
        return frozenset(int(part) for part in self.allowed_tcp_ports.split(",") if part.strip())
