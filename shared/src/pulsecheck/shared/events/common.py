"""Value types shared by several events."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CheckKind = Literal["http", "tls", "tcp"]
# which channels exist is the channel registry's to say (pulsecheck.channels); contracts only
# bound the name, and the API and the notifier check it against the registry
ChannelKind = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_]*$")]
Outcome = Literal["up", "down", "degraded"]

DEFAULT_WARNING_DAYS: tuple[int, ...] = (30, 14, 7, 3, 1)


class Contract(BaseModel):
    """Base of every payload: immutable, and strict about unknown fields on the way in."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ErrorKind(StrEnum):
    """Classified reasons a check failed; consumers may switch on these."""

    DNS = "dns"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    TLS = "tls"
    STATUS = "status"
    ASSERTION = "assertion"
    TOO_LARGE = "too_large"
    REDIRECTS = "redirects"
    BLOCKED_TARGET = "blocked_target"
    PROTOCOL = "protocol"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    SELF_SIGNED = "self_signed"
    UNTRUSTED_ROOT = "untrusted_root"
    HOSTNAME_MISMATCH = "hostname_mismatch"
    HANDSHAKE_FAILURE = "handshake_failure"
    INTERNAL = "internal"


class CheckError(Contract):
    kind: ErrorKind
    message: str


class StatusRange(Contract):
    """An inclusive range of accepted HTTP status codes."""

    low: Annotated[int, Field(ge=100, le=599)]
    high: Annotated[int, Field(ge=100, le=599)]

    @model_validator(mode="after")
    def _ordered(self) -> StatusRange:
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self

    def accepts(self, status: int) -> bool:
        return self.low <= status <= self.high


class HttpCheckOptions(Contract):
    method: Literal["GET", "HEAD", "POST", "PUT", "OPTIONS"] = "GET"
    headers: dict[str, str] = Field(default_factory=dict)
    expected_status: list[StatusRange] = Field(
        default_factory=lambda: [StatusRange(low=200, high=399)]
    )
    follow_redirects: bool = True
    max_redirects: Annotated[int, Field(ge=0, le=20)] = 5
    body_contains: list[str] = Field(default_factory=list)
    body_not_contains: list[str] = Field(default_factory=list)
    # JSON pointer (RFC 6901) -> expected value, e.g. {"/status": "ok"}
    json_field_equals: dict[str, Any] = Field(default_factory=dict)
    degraded_latency_ms: Annotated[int, Field(gt=0)] | None = None
    max_body_bytes: Annotated[int, Field(gt=0, le=16 * 1024 * 1024)] = 1024 * 1024


class QuietHours(Contract):
    """Daily window (local wall-clock in `timezone`) during which notifications wait."""

    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    end: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    timezone: str = "UTC"


class MaintenanceWindow(Contract):
    starts_at: Annotated[str, Field(description="ISO 8601 instant")]
    ends_at: Annotated[str, Field(description="ISO 8601 instant")]


class AlertRules(Contract):
    failures_before_incident: Annotated[int, Field(ge=1, le=100)] = 3
    minutes_down_before_incident: Annotated[int, Field(ge=1)] | None = None
    successes_before_resolve: Annotated[int, Field(ge=1, le=100)] = 2
    # None: a majority of the regions reporting
    region_quorum: Annotated[int, Field(ge=1)] | None = None
    latency_threshold_ms: Annotated[int, Field(gt=0)] | None = None
    notify_degraded: bool = False
    reminder_minutes: Annotated[int, Field(ge=1)] | None = None
    quiet_hours: QuietHours | None = None
    maintenance_windows: list[MaintenanceWindow] = Field(default_factory=list)
    channel_ids: list[str] = Field(default_factory=list)
