"""The steady shortcut must be `decide` exactly: same decision whenever it answers at all."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

import pytest

from pulsecheck.notifier.decide import decide
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.state import MonitorState
from pulsecheck.notifier.steady import decide_fast, steady_decision
from pulsecheck.shared.events import CheckCompleted
from pulsecheck.shared.events.common import QuietHours
from pulsecheck.testing.incident_scenarios import (
    MULTI_REGION,
    SINGLE_REGION,
    interleave,
    rules_with,
    series,
)
from pulsecheck.testing.results import T0, tls_result, uptime_result

MONITOR = "mon-1"


def compare(results: Sequence[CheckCompleted], rules: MonitorRules) -> int:
    """Feeds results through `decide`; at every step the shortcut, when it answers, agrees.
    Returns how often it answered."""
    state = MonitorState(monitor_id=MONITOR)
    shortcuts = 0
    for result in results:
        exact = decide(state, result, rules, result.finished_at)
        quick = steady_decision(state, result, rules)
        if quick is not None:
            shortcuts += 1
            assert quick == exact
        assert decide_fast(state, result, rules, result.finished_at) == exact
        state = exact.state
    return shortcuts


@pytest.mark.parametrize(("pattern", "alert", "expected"), SINGLE_REGION)
def test_agrees_on_single_region_scenarios(
    pattern: str, alert: dict[str, object], expected: list[str]
) -> None:
    compare(series(pattern + "UUUU"), rules_with(**alert))


@pytest.mark.parametrize(("patterns", "alert", "expected"), MULTI_REGION)
def test_agrees_on_multi_region_scenarios(
    patterns: list[tuple[str, str]], alert: dict[str, object], expected: list[str]
) -> None:
    regions = [region for region, _ in patterns]
    compare(interleave(*patterns), rules_with(regions, **alert))


def test_steady_monitor_takes_the_shortcut() -> None:
    # two results to saturate the success count, then every further one is steady
    assert compare(series("UUUUUU"), rules_with()) == 4


def test_shortcut_waits_until_the_incident_is_over_and_nothing_is_held() -> None:
    rules = rules_with(reminder_minutes=1, quiet_hours=QuietHours(start="12:00", end="12:03"))
    # opened (held), released at 12:03, resolved at 12:04; only the five results after that
    assert compare(series("DDDUUUUUUU"), rules) == 5


def test_certificate_results_never_take_the_shortcut() -> None:
    certificate = tls_result(MONITOR, 0, days_remaining=40, start=T0 + timedelta(minutes=3))
    results = [*series("UUU"), certificate, *series("U", offset=5)]
    assert compare(results, rules_with()) == 2


def test_replays_and_paused_monitors_go_the_long_way() -> None:
    rules = rules_with()
    assert compare(series("UUUU") + series("UUUU"), rules) == 2
    assert compare(series("UUUU"), rules.model_copy(update={"paused": True})) == 0


@pytest.mark.parametrize("seed", range(40))
def test_agrees_on_random_histories(seed: int) -> None:
    chance = random.Random(seed)
    regions = chance.sample(["eu", "us", "ap"], chance.randint(1, 3))
    alert: dict[str, object] = chance.choice(
        [
            {},
            {"failures_before_incident": 1, "successes_before_resolve": 1},
            {"minutes_down_before_incident": 2, "failures_before_incident": 9},
            {"latency_threshold_ms": 150, "notify_degraded": True},
            {"region_quorum": 1, "reminder_minutes": 3},
        ]
    )
    configured = regions if chance.random() < 0.5 else []
    results = [
        uptime_result(
            MONITOR,
            step,
            chance.choices(["up", "down", "degraded"], weights=[8, 2, 1])[0],
            region=chance.choice(regions),
            latency_ms=chance.choice([100.0, 120.0, 400.0]),
        )
        for step in range(60)
    ]
    compare(results, rules_with(configured, **alert))
