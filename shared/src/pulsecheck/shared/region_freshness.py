"""When a region's latest result still counts, and how many regions must agree: pure.

One rule for the notifier (which judges incidents by it) and the read side (which shows an
overall status by it), so a status page never calls "down" what the notifier calls silent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# a region's latest result counts for this many of its intervals: one missed or late check is
# weather, two and a half mean the region stopped reporting
FRESHNESS_INTERVALS = 2.5


def uptime_freshness(interval_seconds: float) -> timedelta:
    """How long an uptime result counts; `interval_seconds` as the scheduler runs it (raised
    to its floor), measured between schedules."""
    return timedelta(seconds=interval_seconds * FRESHNESS_INTERVALS)


def tls_freshness(gap_seconds: float, window_seconds: float) -> timedelta:
    """How long a TLS result counts: its cron schedule's longest gap, plus how late it may run."""
    return timedelta(seconds=gap_seconds * FRESHNESS_INTERVALS + window_seconds)


def is_fresh(last_scheduled_for: datetime | None, freshness: timedelta, at: datetime) -> bool:
    return last_scheduled_for is not None and at - last_scheduled_for <= freshness


def region_quorum(reporting: int, explicit: int | None) -> int:
    """Regions that must agree: `explicit` (the alert rules' region_quorum), else a majority of
    those reporting; never more than report, and at least one."""
    if reporting <= 0:
        return 1
    return min(explicit or reporting // 2 + 1, reporting)
