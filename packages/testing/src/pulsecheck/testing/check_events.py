"""Stand-in results: real v1 `CheckCompleted` envelopes of what the prober publishes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pulsecheck.shared.events import (
    CheckCompleted,
    CheckError,
    Envelope,
    ErrorKind,
    TlsResult,
    UptimeResult,
    new_envelope,
)
from pulsecheck.shared.events.checks import DnsResult


class EventFactory:
    """Numbered results from 2025-01-01: uptime `n` minutes in, TLS `n` hours in."""

    def __init__(self) -> None:
        self.start = datetime(2025, 1, 1, tzinfo=UTC)

    def uptime(
        self, monitor: str, account: str, n: int, outcome: str = "up", region: str = "eu"
    ) -> Envelope:
        at = self.start + timedelta(minutes=n)
        check = CheckCompleted(
            request_id=f"{monitor}:http:{n}",
            monitor_id=monitor,
            account_id=account,
            kind="http",
            region=region,
            target="https://example.com/",
            scheduled_for=at,
            started_at=at,
            finished_at=at,
            outcome=outcome,
            uptime=UptimeResult(status_code=200 if outcome != "down" else 503, latency_ms=20 + n),
        )
        return new_envelope(check, source="tests", subject=monitor, time=at)

    def tls(self, monitor: str, account: str, n: int, valid: bool = True) -> Envelope:
        at = self.start + timedelta(hours=n)
        check = CheckCompleted(
            request_id=f"{monitor}:tls:{n}",
            monitor_id=monitor,
            account_id=account,
            kind="tls",
            region="eu",
            target="https://example.com/",
            scheduled_for=at,
            started_at=at,
            finished_at=at,
            outcome="up" if valid else "down",
            error=None if valid else CheckError(kind=ErrorKind.EXPIRED, message="expired"),
            tls=TlsResult(
                valid=valid,
                expiry_date=at + timedelta(days=60),
                days_remaining=60,
                issuer="Test CA",
                sans=["example.com"],
            ),
        )
        return new_envelope(check, source="tests", subject=monitor, time=at)

    def dns(
        self,
        monitor: str,
        account: str,
        n: int,
        answers: list[str],
        *,
        region: str = "eu",
        rcode: str = "NOERROR",
    ) -> Envelope:
        """A dns check `n` minutes in: up when the nameserver said NOERROR with answers."""
        at = self.start + timedelta(minutes=n)
        up = rcode == "NOERROR" and bool(answers)
        check = CheckCompleted(
            request_id=f"{monitor}:dns:{n}:{region}",
            monitor_id=monitor,
            account_id=account,
            kind="dns",
            region=region,
            target="dns://example.com",
            scheduled_for=at,
            started_at=at,
            finished_at=at,
            outcome="up" if up else "down",
            error=None if up else CheckError(kind=ErrorKind.NXDOMAIN, message=rcode),
            uptime=UptimeResult(latency_ms=3.0),
            dns=DnsResult(
                record_type="A", nameserver="127.0.0.1", rcode=rcode, answers=answers, ttl=300
            ),
        )
        return new_envelope(check, source="tests", subject=monitor, time=at)
