"""What a check found, and the CheckCompleted event made of it (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pulsecheck.shared.events import (
    CheckCompleted,
    CheckError,
    CheckRequested,
    TlsResult,
    UptimeResult,
)
from pulsecheck.shared.events.checks import DnsResult
from pulsecheck.shared.events.common import Outcome


@dataclass(frozen=True)
class ProbeOutcome:
    error: CheckError | None = None
    uptime: UptimeResult | None = None
    tls: TlsResult | None = None
    dns: DnsResult | None = None
    degraded: bool = False

    @property
    def verdict(self) -> Outcome:
        if self.error is not None:
            return "down"
        return "degraded" if self.degraded else "up"


def completed_event(
    request: CheckRequested,
    region: str,
    started_at: datetime,
    finished_at: datetime,
    outcome: ProbeOutcome,
) -> CheckCompleted:
    return CheckCompleted(
        request_id=request.request_id,
        monitor_id=request.monitor_id,
        account_id=request.account_id,
        kind=request.kind,
        region=region,
        target=request.target,
        scheduled_for=request.scheduled_for,
        started_at=started_at,
        finished_at=finished_at,
        outcome=outcome.verdict,
        error=outcome.error,
        uptime=outcome.uptime,
        tls=outcome.tls,
        dns=outcome.dns,
    )
