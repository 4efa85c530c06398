"""Scenario tables for the decision core: results in, notices out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest

from pulsecheck.notifier.decide import advance_time, decide, has_timed_work
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.state import MonitorState
from pulsecheck.shared.events import CheckCompleted, IncidentOpened
from pulsecheck.shared.events.common import MaintenanceWindow, QuietHours
from pulsecheck.testing.incident_scenarios import (
    MONITOR,
    MULTI_REGION,
    SINGLE_REGION,
    interleave,
    rules_with,
    series,
)
from pulsecheck.testing.results import T0, uptime_result


def play(
    results: Sequence[CheckCompleted], rules: MonitorRules
) -> tuple[MonitorState, list[str], list[str]]:
    """Feeds results in order (now = each result's finish); returns recorded and delivered."""
    state = MonitorState(monitor_id=MONITOR)
    recorded: list[str] = []
    delivered: list[str] = []
    for result in results:
        decision = decide(state, result, rules, result.finished_at)
        state = decision.state
        recorded += [f"{n.transition}:{_kind(n.alert)}" for n in decision.recorded]
        delivered += [f"{n.transition}:{_kind(n.alert)}" for n in decision.deliver]
    return state, recorded, delivered


def _kind(alert: object) -> str:
    return str(getattr(alert, "kind", "certificate"))


@pytest.mark.parametrize(("pattern", "alert", "expected"), SINGLE_REGION)
def test_single_region(pattern: str, alert: dict[str, object], expected: list[str]) -> None:
    _, recorded, delivered = play(series(pattern), rules_with(**alert))
    assert recorded == expected
    assert delivered == expected


def test_latency_threshold_marks_degraded() -> None:
    rules = rules_with(latency_threshold_ms=200, notify_degraded=True)
    slow = [uptime_result(MONITOR, i, "up", latency_ms=900) for i in range(2)]
    state, recorded, _ = play(slow, rules)
    assert state.status == "degraded"
    assert recorded == ["opened:degraded"]


@pytest.mark.parametrize(("patterns", "alert", "expected"), MULTI_REGION)
def test_multi_region(
    patterns: list[tuple[str, str]], alert: dict[str, object], expected: list[str]
) -> None:
    regions = [region for region, _ in patterns]
    _, recorded, _ = play(interleave(*patterns), rules_with(regions, **alert))
    assert recorded == expected


def test_incident_ids_are_deterministic_and_name_the_failing_regions() -> None:
    rules = rules_with(["eu", "us", "ap"])
    results = interleave(("eu", "DDD"), ("us", "DDD"), ("ap", "UUU"))
    first = second = None
    for attempt in range(2):
        state = MonitorState(monitor_id=MONITOR)
        for result in results:
            decision = decide(state, result, rules, result.finished_at)
            state = decision.state
            for notice in decision.recorded:
                if attempt == 0:
                    first = notice
                else:
                    second = notice
    assert first is not None and first == second
    assert isinstance(first.alert, IncidentOpened)
    assert first.alert.failing_regions == ["eu", "us"]
    assert first.alert.opened_at == results[0].finished_at


def test_replayed_result_is_skipped_and_unchanged() -> None:
    rules = rules_with()
    results = series("DDD")
    state, _, _ = play(results, rules)
    replay = decide(state, results[1], rules, results[1].finished_at)
    assert replay.changed is False
    assert replay.recorded == () and replay.deliver == ()


def test_steady_results_need_no_write() -> None:
    rules = rules_with()
    results = series("UUUUU")
    state = MonitorState(monitor_id=MONITOR)
    changes = []
    for result in results:
        decision = decide(state, result, rules, result.finished_at)
        changes.append(decision.changed)
        state = decision.state
    assert changes == [True, True, False, False, False]


def test_paused_monitor_says_nothing() -> None:
    rules = rules_with().model_copy(update={"paused": True})
    _, recorded, _ = play(series("DDDDD"), rules)
    assert recorded == []


def test_reminders_repeat_while_open() -> None:
    rules = rules_with(reminder_minutes=2)
    _, recorded, delivered = play(series("DDDDDDD"), rules)
    assert recorded == ["opened:down"]
    assert delivered == ["opened:down", "reminder-1:down", "reminder-2:down"]


def test_quiet_hours_hold_then_release() -> None:
    # T0 is 12:00 UTC; quiet from 12:00 to 12:05
    rules = rules_with(quiet_hours=QuietHours(start="12:00", end="12:05"))
    _, recorded, delivered = play(series("DDDDDDD"), rules)
    assert recorded == ["opened:down"]
    assert delivered == ["opened:down"]  # released by the 12:05 result


def test_incident_over_before_quiet_hours_end_is_not_sent() -> None:
    rules = rules_with(quiet_hours=QuietHours(start="11:00", end="13:00"))
    state, recorded, delivered = play(series("DDDUU") + series("U", offset=70), rules)
    assert recorded == ["opened:down", "resolved:down"]
    assert delivered == []
    assert state.held == ()


def test_maintenance_window_holds_notifications() -> None:
    window = MaintenanceWindow(
        starts_at=T0.isoformat(), ends_at=(T0 + timedelta(minutes=30)).isoformat()
    )
    rules = rules_with(maintenance_windows=[window])
    state, recorded, delivered = play(series("DDD"), rules)
    assert recorded == ["opened:down"]
    assert delivered == []
    assert [n.transition for n in state.held] == ["opened"]


def _state_after(pattern: str, rules: MonitorRules) -> MonitorState:
    state, _, _ = play(series(pattern), rules)
    return state


def test_timed_work_is_due_once_a_hold_ends() -> None:
    rules = rules_with(quiet_hours=QuietHours(start="12:00", end="12:05"))
    state = _state_after("DDD", rules)
    assert [n.transition for n in state.held] == ["opened"]
    assert not has_timed_work(state, rules, T0 + timedelta(minutes=4))
    assert has_timed_work(state, rules, T0 + timedelta(minutes=5))
    released = advance_time(state, rules, T0 + timedelta(minutes=5))
    assert [n.transition for n in released.deliver] == ["opened"]
    assert released.state.held == () and released.changed
    assert not has_timed_work(released.state, rules, T0 + timedelta(minutes=6))


def test_timed_work_is_due_when_a_reminder_falls_due() -> None:
    rules = rules_with(reminder_minutes=10)
    state = _state_after("DDD", rules)
    confirmed = T0 + timedelta(minutes=2, seconds=1)
    assert not has_timed_work(state, rules, confirmed + timedelta(minutes=9))
    assert has_timed_work(state, rules, confirmed + timedelta(minutes=10))
    reminded = advance_time(state, rules, confirmed + timedelta(minutes=10))
    assert [n.transition for n in reminded.deliver] == ["reminder-1"]
    assert not has_timed_work(reminded.state, rules, confirmed + timedelta(minutes=11))


def test_no_timed_work_without_reminders_or_held_notices() -> None:
    rules = rules_with()
    assert not has_timed_work(_state_after("DDD", rules), rules, T0 + timedelta(days=1))
    held = _state_after("DDD", rules_with(quiet_hours=QuietHours(start="12:00", end="13:00")))
    # a monitor whose spec is gone: defaults hold nothing back, so the held notice is due
    assert has_timed_work(held, None, T0)
