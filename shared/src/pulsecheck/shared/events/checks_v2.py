"""`io.pulsecheck.check.completed.v2`: the schema-evolution example beside v1.

v2 groups the three instants of a check under `timing`, so a consumer reads one object for
"when" and gets the measured duration without subtracting timestamps. Producers still emit
v1: the public contract does not change under subscribers' feet. A consumer that wants v2
decodes with `decode(raw, upcast=True)` and gets a v2 model from either version (v1 records
go through `upcasting.check_completed_v1_to_v2`); a consumer that knows only v1 skips v2
records as an unknown type, as every subscriber must (see examples/subscribe_checks.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from pulsecheck.shared.events.checks import DnsResult, TlsResult, UptimeResult
from pulsecheck.shared.events.common import CheckError, CheckKind, Contract, Outcome
from pulsecheck.shared.events.dns_options import omitted_when_none
from pulsecheck.shared.events.heartbeats import HeartbeatResult


class CheckTiming(Contract):
    scheduled_for: datetime
    started_at: datetime
    finished_at: datetime
    duration_ms: float = Field(ge=0)


class CheckCompletedV2(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.check.completed.v2"

    request_id: str
    monitor_id: str
    account_id: str
    kind: CheckKind
    region: str
    target: str
    timing: CheckTiming
    outcome: Outcome
    error: CheckError | None = None
    uptime: UptimeResult | None = None
    tls: TlsResult | None = None
    dns: DnsResult | None = Field(default=None, exclude_if=omitted_when_none)
    heartbeat: HeartbeatResult | None = Field(default=None, exclude_if=omitted_when_none)
