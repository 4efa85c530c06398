"""The prober's settings (`PULSECHECK_*`), built in `main`, never at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from pulsecheck.shared.settings import CommonSettings


class ProberSettings(CommonSettings):
    region: str = "local"
    # checks in flight per process; when all are busy the prober stops fetching
    prober_concurrency: int = Field(default=1000, ge=1, le=100_000)
    # a PEM bundle trusted in addition to the system store (private CAs)
    extra_ca_file: Path | None = None
    health_port: int = Field(default=8081, ge=0, le=65_535)
    use_uvloop: bool = True
    # how long a stop waits for checks in flight before giving up on them
    drain_seconds: float = Field(default=30.0, ge=0)

    def consumer_group(self) -> str:
        return f"{self.topic_prefix}pulsecheck-prober-{self.region}"

    def extra_ca_pem(self) -> str | None:
        return self.extra_ca_file.read_text() if self.extra_ca_file else None
