"""Quiet hours, maintenance windows and quorum as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pulsecheck.notifier.rules import (
    MonitorRules,
    in_maintenance,
    in_quiet_hours,
    notifications_held,
)
from pulsecheck.shared.events import AlertRules, MonitorRegistered
from pulsecheck.shared.events.common import MaintenanceWindow, QuietHours


@pytest.mark.parametrize(
    ("start", "end", "zone", "utc_time", "quiet"),
    [
        ("22:00", "07:00", "UTC", "23:30", True),
        ("22:00", "07:00", "UTC", "06:59", True),
        ("22:00", "07:00", "UTC", "07:00", False),
        ("09:00", "17:00", "UTC", "12:00", True),
        ("09:00", "17:00", "UTC", "17:00", False),
        # 21:30 UTC is 22:30 in Berlin in winter
        ("22:00", "07:00", "Europe/Berlin", "21:30", True),
        ("22:00", "07:00", "Not/AZone", "23:00", True),
    ],
)
def test_quiet_hours(start: str, end: str, zone: str, utc_time: str, quiet: bool) -> None:
    hours, mins = map(int, utc_time.split(":"))
    now = datetime(2026, 1, 15, hours, mins, tzinfo=UTC)
    # model_construct: rules stored before the contract refused unknown zones
    quiet_hours = QuietHours.model_construct(start=start, end=end, timezone=zone)
    assert in_quiet_hours(quiet_hours, now) is quiet


def test_maintenance_window_bounds() -> None:
    window = MaintenanceWindow(starts_at="2026-01-15T10:00:00+00:00", ends_at="2026-01-15T11:00")
    assert in_maintenance(window, datetime(2026, 1, 15, 10, 0, tzinfo=UTC))
    assert not in_maintenance(window, datetime(2026, 1, 15, 11, 0, tzinfo=UTC))
    # model_construct: a window stored before the contract refused unparseable instants
    garbled = MaintenanceWindow.model_construct(starts_at="soon", ends_at="later")
    assert not in_maintenance(garbled, datetime(2026, 1, 15, 10, 30, tzinfo=UTC))


def test_nothing_held_by_default() -> None:
    assert not notifications_held(AlertRules(), datetime(2026, 1, 15, tzinfo=UTC))


@pytest.mark.parametrize(
    ("explicit", "reporting", "quorum"),
    [(None, 1, 1), (None, 2, 2), (None, 3, 2), (None, 5, 3), (1, 3, 1), (4, 3, 3), (None, 0, 1)],
)
def test_quorum(explicit: int | None, reporting: int, quorum: int) -> None:
    rules = MonitorRules(
        monitor_id="m", account_id="a", name="n", url="u", alert=AlertRules(region_quorum=explicit)
    )
    assert rules.quorum(reporting) == quorum


def test_rules_from_spec_keep_what_the_notifier_needs() -> None:
    spec = MonitorRegistered(
        monitor_id="m-1",
        account_id="a-1",
        name="Shop",
        url="https://shop.example.test/",
        regions=["eu", "us"],
    ).model_copy(update={"warning_days": [7, 30, 7]})  # as published before repeats were refused
    rules = MonitorRules.from_spec(spec)
    assert rules.warning_days == (30, 7)
    assert rules.regions == ("eu", "us")
    assert rules.alert == AlertRules()
