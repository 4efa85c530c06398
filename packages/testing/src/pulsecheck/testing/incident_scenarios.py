"""Scenario tables of check-result histories and the incidents they must open and resolve.

The notifier's decision core is tested against them, and its steady shortcut is proven equal to
that core on the same tables, so they live in one place both test modules import.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.shared.events import AlertRules, CheckCompleted
from pulsecheck.testing.results import uptime_result

MONITOR = "mon-1"


def rules_with(regions: Sequence[str] = (), **alert: object) -> MonitorRules:
    return MonitorRules(
        monitor_id=MONITOR,
        account_id="acct-1",
        name="Shop",
        url="https://shop.example.test/",
        regions=tuple(regions),
        alert=AlertRules.model_validate(alert),
    )


def series(pattern: str, region: str = "eu", offset: int = 0) -> list[CheckCompleted]:
    """'UUDDD' -> up, up, down, down, down; one result a minute."""
    outcome = {"U": "up", "D": "down", "S": "degraded"}
    return [
        uptime_result(MONITOR, offset + i, outcome[c], region=region) for i, c in enumerate(pattern)
    ]


def interleave(*patterns: tuple[str, str]) -> list[CheckCompleted]:
    columns = [series(p, region=r) for r, p in patterns]
    return [r for row in zip(*columns, strict=True) for r in row]


SINGLE_REGION = [
    pytest.param("UUUUU", {}, [], id="steady-up-says-nothing"),
    pytest.param("DD", {}, [], id="two-failures-are-not-an-incident"),
    pytest.param("DDD", {}, ["opened:down"], id="third-failure-opens"),
    pytest.param("DDDDDD", {}, ["opened:down"], id="incident-opens-once"),
    pytest.param("DDDU", {}, ["opened:down"], id="one-success-does-not-resolve"),
    pytest.param("DDDUU", {}, ["opened:down", "resolved:down"], id="two-successes-resolve"),
    pytest.param("DDUDDU", {}, [], id="interrupted-failures-reset"),
    pytest.param("D", {"failures_before_incident": 1}, ["opened:down"], id="n-equals-one"),
    pytest.param(
        "DDDU", {"successes_before_resolve": 1}, ["opened:down", "resolved:down"], id="k-one"
    ),
    pytest.param(
        "DDD",
        {"failures_before_incident": 10, "minutes_down_before_incident": 2},
        ["opened:down"],
        id="minutes-down-opens-before-count",
    ),
    pytest.param("SSS", {}, [], id="degraded-is-silent-by-default"),
    pytest.param(
        "USSUU",
        {"latency_threshold_ms": 500, "notify_degraded": True},
        ["opened:degraded", "resolved:degraded"],
        id="degraded-notifies-when-asked",
    ),
]


MULTI_REGION = [
    pytest.param([("eu", "DDD"), ("us", "UUU"), ("ap", "UUU")], {}, [], id="one-of-three-is-noise"),
    pytest.param(
        [("eu", "DDD"), ("us", "DDD"), ("ap", "UUU")], {}, ["opened:down"], id="two-of-three-down"
    ),
    pytest.param(
        [("eu", "DDD"), ("us", "UUU"), ("ap", "UUU")],
        {"region_quorum": 1},
        ["opened:down"],
        id="explicit-quorum-one",
    ),
    pytest.param(
        [("eu", "DDDUU"), ("us", "DDDUU"), ("ap", "DDDDD")],
        {},
        ["opened:down", "resolved:down"],
        id="majority-recovered-resolves",
    ),
]
