"""Check logs: the seed's ssl-log fields first, then what PulseCheck adds."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class SslLogPublic(BaseModel):
    id: int
    website_id: str
    timestamp: datetime
    valid_until: datetime | None
    issuer: str | None
    is_valid: bool
    error: str | None
    error_kind: str | None
    days_remaining: int | None
    valid_from: datetime | None
    subject: str | None
    issuer_organization: str | None
    sans: list[str]
    fingerprint_sha256: str | None
    chain_earliest_expiry: datetime | None
    hostname_match: bool | None
    self_signed: bool | None
    tls_version: str | None
    needs_renewal: bool
    region: str


class SslLogsPage(BaseModel):
    data: list[SslLogPublic]
    next_cursor: str | None


class UptimeLogPublic(BaseModel):
    id: int
    website_id: str
    timestamp: datetime
    is_up: bool
    outcome: str
    status_code: int | None
    latency_ms: float | None
    error: str | None
    error_kind: str | None
    region: str
    kind: str
    final_url: str | None
    redirects: int


class UptimeLogsPage(BaseModel):
    data: list[UptimeLogPublic]
    next_cursor: str | None
