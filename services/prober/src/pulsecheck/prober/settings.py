"""The prober's settings (`PULSECHECK_*`), built in `main`, never at import."""

from __future__ import annotations

from pydantic import Field

from pulsecheck.shared.sealing_settings import HeaderOpeningSettings
from pulsecheck.shared.settings import HealthPort, HealthSettings, TrustSettings


class ProberSettings(HealthSettings, TrustSettings, HeaderOpeningSettings):
    """`PULSECHECK_HEADER_SEALING_PRIVATE_KEYS` opens monitors' header credentials; the prober
    holds no channel key."""

    region: str = "local"
    # checks in flight per process; when all are busy the prober stops fetching
    prober_concurrency: int = Field(default=1000, ge=1, le=100_000)
    # the part of the slots one account may hold at once, so one tenant's hanging targets
    # cannot starve the others (at least one slot each); 1.0 turns sharing off
    prober_account_share: float = Field(default=0.25, gt=0, le=1)
    # checks in flight against one target host, whatever the account
    prober_host_concurrency: int = Field(default=100, ge=1, le=100_000)
    health_port: HealthPort = 8081
    use_uvloop: bool = True
    # how long a stop waits for checks in flight before giving up on them
    drain_seconds: float = Field(default=30.0, ge=0)
    # skipped / (completed + skipped) over the last few minutes above this: /readyz fails
    max_skip_ratio: float = Field(default=0.2, ge=0, le=1)

    def consumer_group(self) -> str:
        return f"{self.topic_prefix}pulsecheck-prober-{self.region}"
