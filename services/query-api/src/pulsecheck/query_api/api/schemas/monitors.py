"""Websites (monitors): MonitorCreate → MonitorUpdate → MonitorPublic → MonitorsPage."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from pulsecheck.shared.events import AlertRules, HttpCheckOptions
from pulsecheck.shared.events.common import DEFAULT_WARNING_DAYS, CheckKind

MonitorStatus = Literal["up", "down", "degraded", "unknown"]
WarningDays = Annotated[
    list[Annotated[int, Field(ge=0, le=3650)]], Field(min_length=0, max_length=10)
]
CheckKinds = Annotated[list[CheckKind], Field(min_length=1, max_length=3)]
Regions = Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=20)]


def _default_kinds() -> list[CheckKind]:
    return ["http", "tls"]


class MonitorCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)]
    url: Annotated[str, Field(min_length=1, max_length=2048)]
    check_kinds: CheckKinds = Field(default_factory=_default_kinds)
    interval_seconds: Annotated[int, Field(ge=1, le=86_400)] = 300
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    tls_schedule: Annotated[str, Field(min_length=9, max_length=100)] = "0 0 * * *"
    http: HttpCheckOptions = Field(default_factory=HttpCheckOptions)
    warning_days: WarningDays = Field(default_factory=lambda: list(DEFAULT_WARNING_DAYS))
    paused: bool = False
    regions: Regions = Field(default_factory=list)
    alert_rules: AlertRules = Field(default_factory=AlertRules)


class MonitorUpdate(BaseModel):
    """Only the fields present change; the event still carries the whole resulting spec."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    url: Annotated[str, Field(min_length=1, max_length=2048)] | None = None
    check_kinds: CheckKinds | None = None
    interval_seconds: Annotated[int, Field(ge=1, le=86_400)] | None = None
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] | None = None
    tls_schedule: Annotated[str, Field(min_length=9, max_length=100)] | None = None
    http: HttpCheckOptions | None = None
    warning_days: WarningDays | None = None
    paused: bool | None = None
    regions: Regions | None = None
    alert_rules: AlertRules | None = None


class MonitorPublic(BaseModel):
    id: uuid.UUID
    name: str
    url: str
    check_kinds: list[CheckKind]
    interval_seconds: int
    timeout_seconds: float
    tls_schedule: str
    http: HttpCheckOptions
    warning_days: list[int]
    paused: bool
    active: bool
    regions: list[str]
    alert_rules: AlertRules
    status: MonitorStatus
    last_checked_at: datetime | None
    last_latency_ms: float | None
    last_error: str | None
    cert_expires_at: datetime | None
    cert_valid: bool | None
    uptime_24h: float | None = Field(description="percent of checks up in the last 24 hours")
    created_at: datetime
    updated_at: datetime


class MonitorsPage(BaseModel):
    data: list[MonitorPublic]
    next_cursor: str | None


class CheckAccepted(BaseModel):
    request_id: str
    website_id: uuid.UUID
    kind: CheckKind
    scheduled_for: datetime
    deadline: datetime
