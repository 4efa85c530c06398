"""How PulseCheck words an alert, shared by every channel (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pulsecheck.channels.base import AlertContext
from pulsecheck.shared.events import (
    CertificateExpiring,
    ChannelTestRequested,
    IncidentOpened,
    IncidentResolved,
)

RECOVERED = {
    "down": "is back up",
    "degraded": "is fast again",
    "tls_invalid": "has a valid certificate again",
    "silent": "is reported on again",
}


def headline(context: AlertContext) -> str:
    """One line: which site, what happened, since when."""
    alert = context.notice.alert
    name = context.monitor_name
    if isinstance(alert, ChannelTestRequested):
        return f"TEST: PulseCheck reaches {name} (asked for at {_minute(alert.requested_at)})"
    if isinstance(alert, CertificateExpiring):
        return (
            f"CERTIFICATE EXPIRING: {name} certificate expires in {alert.days_remaining} days "
            f"({_day(alert.expiry_date)})"
        )
    if isinstance(alert, IncidentResolved):
        recovered = RECOVERED[alert.kind]
        return f"RECOVERED: {name} {recovered} after {duration(alert.duration_seconds)}"
    reminder = context.notice.transition.startswith("reminder")
    prefix = {
        "down": "DOWN",
        "degraded": "DEGRADED",
        "tls_invalid": "TLS INVALID",
        "silent": "NOT CHECKED",
    }[alert.kind]
    state = {
        "down": "is down",
        "degraded": "is slow",
        "tls_invalid": "has an invalid certificate",
        "silent": "has no results from any region",
    }
    cause = f": {alert.cause.message}" if alert.cause else ""
    return (
        f"{'STILL ' if reminder else ''}{prefix}: {name} {state[alert.kind]} since "
        f"{_minute(alert.opened_at)}{cause}"
    )


def details(context: AlertContext) -> list[str]:
    alert = context.notice.alert
    if isinstance(alert, ChannelTestRequested):
        return [
            "Nothing is wrong: this notice was sent on request.",
            f"Details: {context.page_url}",
        ]
    lines = [f"Site: {context.monitor_url}"]
    if isinstance(alert, IncidentOpened) and alert.failing_regions:
        lines.append(f"Failing regions: {', '.join(alert.failing_regions)}")
    if isinstance(alert, CertificateExpiring) and alert.fingerprint_sha256:
        lines.append(f"Certificate SHA-256: {alert.fingerprint_sha256}")
    lines.append(f"Details: {context.page_url}")
    return lines


def duration(seconds: float) -> str:
    span = timedelta(seconds=round(seconds))
    days, rest = span.days, span.seconds
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {rest % 60}s" if minutes else f"{rest % 60}s"


def _minute(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _day(at: datetime) -> str:
    return at.strftime("%Y-%m-%d")
