"""`GET /check-ssl`: the seed's six fields first, then what the TLS check adds."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from pulsecheck.checks import ProbeOutcome


class SslCheckPublic(BaseModel):
    valid: bool
    expiry_date: datetime | None = Field(description="the leaf certificate's notAfter (UTC)")
    days_remaining: int | None
    issuer: str | None
    needs_renewal: bool
    error: str | None = Field(description="why the check failed, for people; null when valid")
    error_kind: str | None = Field(
        description="the classified failure: expired, self_signed, hostname_mismatch, "
        "untrusted_root, timeout, refused, dns, … (null when valid)"
    )
    url: str
    checked_at: datetime
    valid_from: datetime | None
    subject: str | None
    issuer_organization: str | None
    sans: list[str]
    serial: str | None
    fingerprint_sha256: str | None
    chain_earliest_expiry: datetime | None
    hostname_match: bool | None
    self_signed: bool | None
    tls_version: str | None
    cipher: str | None

    @classmethod
    def from_outcome(cls, url: str, checked_at: datetime, outcome: ProbeOutcome) -> SslCheckPublic:
        tls = outcome.tls
        error = outcome.error
        return cls(
            valid=bool(tls and tls.valid) and error is None,
            expiry_date=tls.expiry_date if tls else None,
            days_remaining=tls.days_remaining if tls else None,
            issuer=tls.issuer if tls else None,
            needs_renewal=tls.needs_renewal if tls else False,
            error=error.message if error else None,
            error_kind=error.kind.value if error else None,
            url=url,
            checked_at=checked_at,
            valid_from=tls.not_before if tls else None,
            subject=tls.subject if tls else None,
            issuer_organization=tls.issuer_organization if tls else None,
            sans=list(tls.sans) if tls else [],
            serial=tls.serial if tls else None,
            fingerprint_sha256=tls.fingerprint_sha256 if tls else None,
            chain_earliest_expiry=tls.chain_earliest_expiry if tls else None,
            hostname_match=tls.hostname_match if tls else None,
            self_signed=tls.self_signed if tls else None,
            tls_version=tls.tls_version if tls else None,
            cipher=tls.cipher if tls else None,
        )
