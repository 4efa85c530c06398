"""Events of `pulsecheck.checks.requested` and `pulsecheck.checks.completed`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from pulsecheck.shared.events.common import (
    DEFAULT_WARNING_DAYS,
    CheckError,
    CheckKind,
    Contract,
    HttpCheckOptions,
    Outcome,
)
from pulsecheck.shared.events.dns_options import DnsCheckOptions, omitted_when_none
from pulsecheck.shared.events.heartbeats import HeartbeatResult

MAX_DNS_ANSWERS = 50


def request_id_for(monitor_id: str, kind: CheckKind, scheduled_for: datetime) -> str:
    """Deterministic id of one planned check, so duplicates are recognisable downstream."""
    return f"{monitor_id}:{kind}:{scheduled_for.isoformat()}"


class CheckRequested(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.check.requested.v1"

    request_id: str
    monitor_id: str
    account_id: str
    kind: CheckKind
    target: str
    http: HttpCheckOptions = Field(default_factory=HttpCheckOptions)
    dns: DnsCheckOptions | None = Field(default=None, exclude_if=omitted_when_none)
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    warning_days: list[int] = Field(default_factory=lambda: list(DEFAULT_WARNING_DAYS))
    scheduled_for: datetime
    deadline: datetime
    trigger: Literal["schedule", "on_demand"] = "schedule"
    # the regions that should run it; empty: every region
    regions: list[str] = Field(default_factory=list)


class UptimeResult(Contract):
    status_code: int | None = None
    latency_ms: float
    connect_ms: float | None = None
    tls_ms: float | None = None
    first_byte_ms: float | None = None
    bytes_read: int = 0
    final_url: str | None = None
    redirects: int = 0
    # https only: True when the check resumed a TLS session kept from an earlier check of the
    # target (no certificate sent), False after a full handshake; absent for plain HTTP
    tls_resumed: bool | None = Field(default=None, exclude_if=omitted_when_none)


class TlsResult(Contract):
    valid: bool
    not_before: datetime | None = None
    expiry_date: datetime | None = None
    days_remaining: int | None = None
    issuer: str | None = None
    issuer_organization: str | None = None
    subject: str | None = None
    sans: list[str] = Field(default_factory=list)
    serial: str | None = None
    fingerprint_sha256: str | None = None
    chain_earliest_expiry: datetime | None = None
    hostname_match: bool | None = None
    self_signed: bool | None = None
    tls_version: str | None = None
    cipher: str | None = None
    needs_renewal: bool = False


class DnsResult(Contract):
    """What a nameserver answered; present whenever one answered, even with an error code."""

    record_type: str
    nameserver: str
    # the response code's name: NOERROR, NXDOMAIN, SERVFAIL, REFUSED, …
    rcode: str
    # each record as text: names without the final dot, TXT strings joined, at most 50
    answers: Annotated[list[str], Field(max_length=MAX_DNS_ANSWERS)] = Field(default_factory=list)
    ttl: int | None = None


class CheckCompleted(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.check.completed.v1"

    request_id: str
    monitor_id: str
    account_id: str
    kind: CheckKind
    region: str
    target: str
    scheduled_for: datetime
    started_at: datetime
    finished_at: datetime
    outcome: Outcome
    error: CheckError | None = None
    uptime: UptimeResult | None = None
    tls: TlsResult | None = None
    dns: DnsResult | None = Field(default=None, exclude_if=omitted_when_none)
    heartbeat: HeartbeatResult | None = Field(default=None, exclude_if=omitted_when_none)


class CheckSkipped(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.check.skipped.v1"

    request_id: str
    monitor_id: str
    account_id: str
    kind: CheckKind
    region: str
    scheduled_for: datetime
    deadline: datetime
    skipped_at: datetime
    reason: str
