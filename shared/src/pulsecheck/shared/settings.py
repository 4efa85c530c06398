"""Settings every service shares, read from `PULSECHECK_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from pulsecheck.shared.target_safety import AllowList
from pulsecheck.shared.topics import Topics


class CommonSettings(BaseSettings):
    """Base of each service's settings; built in the service's factory, never at import time."""

    model_config = SettingsConfigDict(env_prefix="PULSECHECK_", extra="ignore")

    kafka_bootstrap: str = "127.0.0.1:19092"
    partitions: int = Field(default=12, ge=1, le=1000)
    replication_factor: int = Field(default=1, ge=1)
    checks_retention_days: int = Field(default=7, ge=1)
    # namespaces every topic (and consumer group) so installations can share a cluster
    topic_prefix: str = ""
    log_level: str = "INFO"
    # CIDRs and host names (comma-separated) that targets may resolve to despite being
    # private, loopback or link-local: internal monitoring, and the tests' loopback servers
    target_allow_list: str = ""

    def allow_list(self) -> AllowList:
        return AllowList.from_entries(self.target_allow_list.split(","))

    def topics(self) -> Topics:
        return Topics(self.topic_prefix, self.checks_retention_days)


class DatabaseSettings(CommonSettings):
    database_url: str = "postgresql://pulsecheck:pulsecheck@127.0.0.1:15432/pulsecheck"


# 0 picks a free port
HealthPort = Annotated[int, Field(ge=0, le=65_535)]


class HealthSettings(CommonSettings):
    """Where a worker's /healthz, /readyz and /metrics listen.

    Each service keeps its own default port (so they can share a host) by restating
    `health_port: HealthPort = <port>`; the rule of the field stays here.
    """

    # containers set 0.0.0.0
    health_host: str = "127.0.0.1"
    health_port: HealthPort = 0
    # a consumer with lag that has not moved, a silent timer, a member holding no partition:
    # for this long, and /healthz fails
    stall_seconds: float = Field(default=120.0, gt=0)


class MonitorPolicySettings(CommonSettings):
    """Deployment limits on monitors, read by the API (refuses) and the scheduler (enforces)."""

    # the shortest uptime interval a monitor may ask for, in whole seconds as in the spec
    min_interval_seconds: int = Field(default=10, ge=1, le=86_400)


class TrustSettings(CommonSettings):
    """Certificates trusted besides the system store, by every service that checks TLS."""

    # a PEM bundle (private CAs)
    extra_ca_file: Path | None = None

    def extra_ca_pem(self) -> str | None:
        return self.extra_ca_file.read_text() if self.extra_ca_file else None
