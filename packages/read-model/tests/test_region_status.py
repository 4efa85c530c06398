"""Overall status from per-region latest results: freshness and quorum, as tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pulsecheck.read_model.region_status import (
    RegionLatest,
    RegionRules,
    RegionStatus,
    status_by_region,
)

NOW = datetime(2025, 6, 15, 12, tzinfo=UTC)
INTERVAL = 60  # seconds: a region counts for 150 s after its latest schedule


def latest(region: str, status: str, age_seconds: float) -> RegionLatest:
    at = NOW - timedelta(seconds=age_seconds)
    return RegionLatest(region, status, at + timedelta(seconds=1), at)


def rules(regions: tuple[str, ...] = (), quorum: int | None = None) -> RegionRules:
    return RegionRules(regions, INTERVAL, quorum)


@pytest.mark.parametrize(
    ("results", "monitor", "overall"),
    [
        pytest.param([], rules(), "unknown", id="never-checked"),
        pytest.param([latest("eu", "down", 10)], rules(), "down", id="one-region-down"),
        pytest.param([latest("eu", "down", 151)], rules(), "unknown", id="every-region-silent"),
        pytest.param(
            [latest("eu", "down", 10), latest("us", "up", 10)], rules(), "up",
            id="one-of-two-down-is-no-majority",
        ),
        pytest.param(
            [latest("eu", "down", 10), latest("us", "up", 10), latest("ap", "up", 10)],
            rules(), "up", id="one-of-three-down-is-no-majority",
        ),
        pytest.param(
            [latest("eu", "down", 10), latest("us", "down", 10), latest("ap", "up", 200)],
            rules(quorum=2), "down", id="quorum-two-of-three-with-one-silent",
        ),
        pytest.param(
            [latest("eu", "down", 10), latest("us", "down", 200), latest("ap", "up", 10)],
            rules(quorum=2), "up", id="a-silent-region-confirms-nothing",
        ),
        pytest.param(
            [latest("eu", "degraded", 10), latest("us", "degraded", 10), latest("ap", "up", 10)],
            rules(), "degraded", id="a-majority-degraded",
        ),
        pytest.param(
            [latest("local", "up", 10)], rules(("local", "eu")), "up",
            id="a-configured-region-that-never-reported-does-not-count",
        ),
        pytest.param(
            [latest("eu", "down", 10), latest("local", "up", 10)], rules(("local",)), "up",
            id="a-region-no-longer-configured-does-not-count",
        ),
        pytest.param(
            [latest("eu", "down", 150)], rules(), "down", id="exactly-two-and-a-half-intervals",
        ),
    ],
)  # fmt: skip
def test_overall_status(results: list[RegionLatest], monitor: RegionRules, overall: str) -> None:
    assert status_by_region(results, monitor, NOW).overall == overall


def test_each_region_says_whether_it_counts() -> None:
    judged = status_by_region(
        [latest("eu", "down", 200), latest("local", "up", 10)], rules(("local", "eu", "us")), NOW
    )
    assert judged.regions == (
        RegionStatus("local", "up", NOW - timedelta(seconds=9), fresh=True),
        RegionStatus("eu", "down", NOW - timedelta(seconds=199), fresh=False),
        RegionStatus("us", "unknown", None, fresh=False),
    )


def test_rules_of_a_spec_raise_the_interval_to_the_schedulers_floor() -> None:
    spec = {"interval_seconds": 5, "regions": ["eu"], "alert_rules": {"region_quorum": 2}}
    assert RegionRules.of_spec(spec, min_interval_seconds=30) == RegionRules(("eu",), 30, 2)
