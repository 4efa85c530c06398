"""The rules one monitor's alerts follow, and the pure time-window checks they need."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from pulsecheck.shared.events import AlertRules, MonitorSpec
from pulsecheck.shared.events.common import (
    DEFAULT_WARNING_DAYS,
    CheckKind,
    MaintenanceWindow,
    QuietHours,
)
from pulsecheck.shared.events.cron import longest_gap_seconds
from pulsecheck.shared.region_freshness import region_quorum, tls_freshness, uptime_freshness


class MonitorRules(BaseModel):
    """What the notifier keeps of a monitor's spec: its name, its regions and its alert rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    monitor_id: str
    account_id: str
    name: str
    url: str
    paused: bool = False
    regions: tuple[str, ...] = ()
    check_kinds: tuple[CheckKind, ...] = ("http",)
    interval_seconds: int = 300
    # the longest wait between two TLS checks (its cron schedule) and how late one may run
    tls_gap_seconds: int = 86_400
    tls_window_seconds: int = 3600
    warning_days: tuple[int, ...] = DEFAULT_WARNING_DAYS
    alert: AlertRules = Field(default_factory=AlertRules)

    @classmethod
    def from_spec(cls, spec: MonitorSpec, min_interval_seconds: int = 1) -> MonitorRules:
        """`min_interval_seconds`: the scheduler's floor, which a shorter interval is raised to."""
        return cls(
            monitor_id=spec.monitor_id,
            account_id=spec.account_id,
            name=spec.name,
            url=spec.url,
            paused=spec.paused,
            regions=tuple(spec.regions),
            check_kinds=tuple(spec.check_kinds),
            interval_seconds=max(spec.interval_seconds, min_interval_seconds),
            tls_gap_seconds=longest_gap_seconds(spec.tls_schedule),
            tls_window_seconds=spec.tls_window_seconds,
            warning_days=tuple(sorted(set(spec.warning_days), reverse=True)),
            alert=spec.alert_rules,
        )

    @classmethod
    def defaults_for(cls, monitor_id: str, account_id: str, url: str) -> MonitorRules:
        """Rules for a result whose monitor spec has not been seen (yet)."""
        return cls(monitor_id=monitor_id, account_id=account_id, name=url, url=url)

    def freshness(self, kind: str) -> timedelta:
        """How long a region's latest result of `kind` counts (measured between schedules)."""
        if kind == "tls":
            return tls_freshness(self.tls_gap_seconds, self.tls_window_seconds)
        return uptime_freshness(self.interval_seconds)

    def quorum(self, reporting: int) -> int:
        """Regions that must agree; a majority of those reporting unless set explicitly."""
        return region_quorum(reporting, self.alert.region_quorum)


def notifications_held(rules: AlertRules, now: datetime) -> bool:
    """True while quiet hours or a maintenance window hold notifications back."""
    if any(in_maintenance(window, now) for window in rules.maintenance_windows):
        return True
    return rules.quiet_hours is not None and in_quiet_hours(rules.quiet_hours, now)


def in_maintenance(window: MaintenanceWindow, now: datetime) -> bool:
    starts = _instant(window.starts_at)
    ends = _instant(window.ends_at)
    return starts is not None and ends is not None and starts <= now < ends


def in_quiet_hours(quiet: QuietHours, now: datetime) -> bool:
    # the contract refuses unknown zones; rules stored before it did still read as UTC
    try:
        zone = ZoneInfo(quiet.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = now.astimezone(zone).time()
    start, end = _clock(quiet.start), _clock(quiet.end)
    if start <= end:
        return start <= local < end
    # the window runs over midnight, e.g. 22:00-07:00
    return local >= start or local < end


def minutes(value: int | None) -> timedelta | None:
    # AlertRules bounds every count of minutes (a month at most), so this never overflows
    return None if value is None else timedelta(minutes=value)


def _clock(value: str) -> time:
    hours, mins = value.split(":")
    return time(int(hours), int(mins))


def _instant(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=ZoneInfo("UTC"))
