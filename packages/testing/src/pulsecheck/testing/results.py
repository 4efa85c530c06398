"""Check results as a prober would publish them, made compactly for scenarios."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pulsecheck.shared.events import CheckCompleted, CheckError, ErrorKind, TlsResult, UptimeResult

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def uptime_result(
    monitor_id: str,
    step: int,
    outcome: str,
    *,
    region: str = "eu",
    latency_ms: float = 120.0,
    start: datetime = T0,
    interval: timedelta = timedelta(minutes=1),
    account_id: str = "acct-1",
) -> CheckCompleted:
    at = start + step * interval
    down = outcome == "down"
    return CheckCompleted(
        request_id=f"{monitor_id}:http:{at.isoformat()}",
        monitor_id=monitor_id,
        account_id=account_id,
        kind="http",
        region=region,
        target="https://shop.example.test/",
        scheduled_for=at,
        started_at=at,
        finished_at=at + timedelta(seconds=1),
        outcome="down" if down else "degraded" if outcome == "degraded" else "up",
        error=CheckError(kind=ErrorKind.STATUS, message="HTTP 503") if down else None,
        uptime=UptimeResult(status_code=503 if down else 200, latency_ms=latency_ms),
    )


def tls_result(
    monitor_id: str,
    step: int,
    *,
    days_remaining: int,
    valid: bool = True,
    fingerprint: str = "aa" * 32,
    start: datetime = T0,
    interval: timedelta = timedelta(days=1),
    account_id: str = "acct-1",
    region: str = "eu",
) -> CheckCompleted:
    at = start + step * interval
    return CheckCompleted(
        request_id=f"{monitor_id}:tls:{at.isoformat()}",
        monitor_id=monitor_id,
        account_id=account_id,
        kind="tls",
        region=region,
        target="shop.example.test:443",
        scheduled_for=at,
        started_at=at,
        finished_at=at + timedelta(seconds=1),
        outcome="up" if valid else "down",
        error=None if valid else CheckError(kind=ErrorKind.EXPIRED, message="certificate expired"),
        tls=TlsResult(
            valid=valid,
            expiry_date=at + timedelta(days=days_remaining),
            days_remaining=days_remaining,
            issuer="Test CA",
            fingerprint_sha256=fingerprint,
        ),
    )
