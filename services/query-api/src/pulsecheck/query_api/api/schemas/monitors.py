"""Websites (monitors): MonitorCreate → MonitorUpdate → MonitorPublic → MonitorsPage; many at
once: MonitorsCreate → MonitorsCreated."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pulsecheck.shared.events import AlertRules, HttpCheckOptions, MonitorConfiguration
from pulsecheck.shared.events.common import CheckKind
from pulsecheck.shared.events.cron import CronExpression
from pulsecheck.shared.events.dns_options import DnsCheckOptions
from pulsecheck.shared.events.heartbeats import HeartbeatOptions
from pulsecheck.shared.events.monitors import (
    CheckKinds,
    IntervalSeconds,
    MonitorName,
    MonitorUrl,
    Regions,
    TimeoutSeconds,
    WarningDays,
)

MonitorStatus = Literal["up", "down", "degraded", "unknown"]


class MonitorCreate(MonitorConfiguration):
    """Exactly the contract's configuration: the API accepts what the consumers accept."""


class MonitorsCreate(BaseModel):
    """Many websites in one request, each validated exactly as a single create."""

    model_config = ConfigDict(extra="forbid")

    # 1,000: the API's publish timeout covers one request's events (measured in bench/system)
    websites: list[MonitorCreate] = Field(min_length=1, max_length=1000)


class MonitorsCreated(BaseModel):
    ids: list[uuid.UUID] = Field(description="the new websites' ids, in the order given")


class MonitorUpdate(BaseModel):
    """A JSON Merge Patch (RFC 7396): only the fields present change, nested objects merge
    field by field, `null` resets a field. The event still carries the whole resulting spec,
    validated again as a whole (e.g. a tls check needs an https URL, or a tls:// or STARTTLS
    one; a new scheme of URL usually comes with its `check_kinds`)."""

    model_config = ConfigDict(extra="forbid")

    name: MonitorName | None = None
    url: MonitorUrl | None = None
    check_kinds: CheckKinds | None = None
    interval_seconds: IntervalSeconds | None = None
    timeout_seconds: TimeoutSeconds | None = None
    tls_schedule: CronExpression | None = None
    http: HttpCheckOptions | None = None
    dns: DnsCheckOptions | None = None
    heartbeat: HeartbeatOptions | None = None
    warning_days: WarningDays | None = None
    paused: bool | None = None
    regions: Regions | None = None
    alert_rules: AlertRules | None = None


class RegionStatusPublic(BaseModel):
    region: str
    status: MonitorStatus = Field(description="the region's latest result; unknown: none yet")
    last_checked_at: datetime | None
    fresh: bool = Field(
        description="whether it counts toward `status`: its latest check was scheduled within"
        " 2.5 intervals (a region silent longer does not count)"
    )


class DnsAnswersPublic(BaseModel):
    region: str
    record_type: str
    nameserver: str = Field(description="the resolver that answered")
    rcode: str = Field(description="NOERROR, NXDOMAIN, SERVFAIL, …")
    answers: list[str] = Field(description="each record as text, names without the final dot")
    ttl: int | None
    checked_at: datetime = Field(description="when this answer was received")
    changed_at: datetime = Field(
        description="when the answer (rcode or records) last differed from the one before"
    )


class MonitorPublic(BaseModel):
    id: uuid.UUID
    name: str
    url: str
    check_kinds: list[CheckKind]
    interval_seconds: int
    timeout_seconds: float
    tls_schedule: str
    http: HttpCheckOptions
    dns: DnsCheckOptions | None = None
    heartbeat: HeartbeatOptions | None = None
    warning_days: list[int]
    paused: bool
    active: bool
    regions: list[str]
    alert_rules: AlertRules
    status: MonitorStatus = Field(
        description="overall, over the fresh regions (see region_status): down or degraded when"
        " region_quorum of them (else a majority) are; unknown when no region is fresh"
    )
    region_status: list[RegionStatusPublic] = Field(
        description="each region's own status: the configured regions, or every region that"
        " reported when none is configured"
    )
    last_checked_at: datetime | None
    last_latency_ms: float | None
    last_error: str | None
    cert_expires_at: datetime | None
    cert_valid: bool | None
    uptime_24h: float | None = Field(description="percent of checks up in the last 24 hours")
    created_at: datetime
    updated_at: datetime
    dns_answers: list[DnsAnswersPublic] = Field(
        default_factory=list,
        description="a dns monitor's latest answers, one per region that reported",
    )
    ping_token: str | None = Field(
        default=None,
        description="a heartbeat's token for /ping/<token>: shown once, in the creating response",
    )


class MonitorsPage(BaseModel):
    data: list[MonitorPublic]
    next_cursor: str | None


class CheckAccepted(BaseModel):
    request_id: str
    website_id: uuid.UUID
    kind: CheckKind
    scheduled_for: datetime
    deadline: datetime
