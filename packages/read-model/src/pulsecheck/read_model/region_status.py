"""A website's status per region and overall, judged at `now`: pure.

Each region shows its latest result. The overall status follows the notifier's rules
(`pulsecheck.shared.region_freshness`): only fresh regions count, "down" takes a quorum of
them down, "degraded" a quorum degraded, and with no fresh region the site is "unknown"
(not checked), never the last word of a region that went silent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pulsecheck.shared.region_freshness import is_fresh, region_quorum, uptime_freshness


@dataclass(frozen=True)
class RegionLatest:
    """A region's newest uptime result, as the projector keeps it."""

    region: str
    status: str
    last_checked_at: datetime
    scheduled_for: datetime


@dataclass(frozen=True)
class RegionStatus:
    region: str
    status: str  # "unknown" for a configured region that never reported
    last_checked_at: datetime | None
    fresh: bool


@dataclass(frozen=True)
class StatusByRegion:
    overall: str
    regions: tuple[RegionStatus, ...]


@dataclass(frozen=True)
class RegionRules:
    """What the judgement needs of a monitor's spec."""

    regions: tuple[str, ...]
    interval_seconds: int
    region_quorum: int | None

    @classmethod
    def of_spec(cls, spec: Mapping[str, Any], min_interval_seconds: int) -> RegionRules:
        """From a stored spec; the interval raised to the scheduler's floor, as it runs."""
        return cls(
            regions=tuple(spec.get("regions") or ()),
            interval_seconds=max(int(spec["interval_seconds"]), min_interval_seconds),
            region_quorum=(spec.get("alert_rules") or {}).get("region_quorum"),
        )


def status_by_region(
    latest: Sequence[RegionLatest], rules: RegionRules, now: datetime
) -> StatusByRegion:
    """The configured regions (or every one that reported, when none is), each with its latest
    status and whether it still counts, and the overall status they make."""
    by_name = {r.region: r for r in latest}
    names = rules.regions or tuple(sorted(by_name))
    freshness = uptime_freshness(rules.interval_seconds)
    regions = tuple(_region(name, by_name.get(name), freshness, now) for name in names)
    counted = [r.status for r in regions if r.fresh]
    if not counted:
        return StatusByRegion("unknown", regions)
    quorum = region_quorum(len(counted), rules.region_quorum)
    if counted.count("down") >= quorum:
        overall = "down"
    elif counted.count("degraded") >= quorum:
        overall = "degraded"
    else:
        overall = "up"
    return StatusByRegion(overall, regions)


def _region(
    name: str, latest: RegionLatest | None, freshness: timedelta, now: datetime
) -> RegionStatus:
    if latest is None:
        return RegionStatus(name, "unknown", None, fresh=False)
    fresh = is_fresh(latest.scheduled_for, freshness, now)
    return RegionStatus(name, latest.status, latest.last_checked_at, fresh)
