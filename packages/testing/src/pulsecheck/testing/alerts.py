"""Notices and channel configurations as the notifier's pipeline would hand them to a channel."""

from __future__ import annotations

from datetime import timedelta

from pulsecheck.channels.base import AlertContext
from pulsecheck.notifier.notices import Notice
from pulsecheck.shared.events import (
    CertificateExpiring,
    ChannelConfigured,
    CheckError,
    ErrorKind,
    IncidentOpened,
    IncidentResolved,
)
from pulsecheck.shared.events.common import ChannelKind
from pulsecheck.testing.results import T0


def opened_notice(monitor_id: str = "mon-1") -> Notice:
    alert = IncidentOpened(
        incident_id="inc-1",
        monitor_id=monitor_id,
        account_id="acct-1",
        kind="down",
        opened_at=T0,
        cause=CheckError(kind=ErrorKind.STATUS, message="HTTP 503"),
        failing_regions=["eu", "us"],
    )
    return Notice(event_id="ev-open", subject_key="inc-1", transition="opened", alert=alert)


def resolved_notice(monitor_id: str = "mon-1") -> Notice:
    alert = IncidentResolved(
        incident_id="inc-1",
        monitor_id=monitor_id,
        account_id="acct-1",
        kind="down",
        opened_at=T0,
        resolved_at=T0 + timedelta(minutes=12, seconds=5),
        duration_seconds=725,
    )
    return Notice(event_id="ev-res", subject_key="inc-1", transition="resolved", alert=alert)


def expiring_notice(days: int = 13, threshold: int = 14) -> Notice:
    alert = CertificateExpiring(
        monitor_id="mon-1",
        account_id="acct-1",
        threshold_days=threshold,
        days_remaining=days,
        expiry_date=T0 + timedelta(days=days),
        fingerprint_sha256="ab" * 32,
        detected_at=T0,
    )
    key = f"certificate:mon-1:{'ab' * 32}:{threshold}"
    return Notice(
        event_id="ev-cert", subject_key=key, transition=f"expiring-{threshold}", alert=alert
    )


def context_for(notice: Notice, key: str = "delivery-1") -> AlertContext:
    return AlertContext(
        notice=notice,
        monitor_name="Shop",
        monitor_url="https://shop.example.test/",
        page_url="http://127.0.0.1:8000/monitors/mon-1",
        delivery_key=key,
    )


def channel(
    kind: ChannelKind,
    target: str,
    *,
    channel_id: str | None = None,
    secret: str | None = None,
    account_id: str = "acct-1",
    event_types: list[str] | None = None,
) -> ChannelConfigured:
    return ChannelConfigured(
        channel_id=channel_id or f"ch-{kind}",
        account_id=account_id,
        kind=kind,
        name=f"{kind} channel",
        target=target,
        secret=secret,
        event_types=event_types or [],
    )
