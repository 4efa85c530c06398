"""Region scenarios: freshness, quorum of reporting regions, silence, TLS from one region.

Rules use the default 300 s interval, so a region's result counts for 12.5 minutes; results
come one a minute unless a scenario says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest

from pulsecheck.notifier.decide import decide, retire
from pulsecheck.notifier.regions import judge_silence
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.state import MonitorState
from pulsecheck.shared.events import CheckCompleted, IncidentOpened, IncidentResolved
from pulsecheck.testing.incident_scenarios import MONITOR, rules_with
from pulsecheck.testing.results import T0, tls_result, uptime_result


def at(region: str, minute: int, pattern: str) -> list[CheckCompleted]:
    """`pattern` from `region`, one result a minute from `minute` on."""
    outcome = {"U": "up", "D": "down"}
    return [
        uptime_result(MONITOR, minute + i, outcome[c], region=region) for i, c in enumerate(pattern)
    ]


def play(
    results: Sequence[CheckCompleted], rules: MonitorRules
) -> tuple[MonitorState, list[str], list[object]]:
    state = MonitorState(monitor_id=MONITOR)
    recorded: list[str] = []
    alerts: list[object] = []
    for result in sorted(results, key=lambda r: r.scheduled_for):
        decision = decide(state, result, rules, result.finished_at)
        state = decision.state
        recorded += [
            f"{n.transition}:{getattr(n.alert, 'kind', 'certificate')}" for n in decision.recorded
        ]
        alerts += [n.alert for n in decision.recorded]
    return state, recorded, alerts


REGION_SCENARIOS = [
    pytest.param(
        ["local", "eu"],
        {},
        at("local", 0, "DDD"),
        ["opened:down"],
        id="configured-region-never-reporting-does-not-count",
    ),
    pytest.param(
        [],
        {},
        at("eu", 0, "UU") + at("local", 0, "UU") + at("local", 20, "DDD"),
        ["opened:down"],
        id="stopped-region-stops-counting",
    ),
    pytest.param(
        [],
        {},
        at("eu", 0, "UU") + at("local", 0, "DDD"),
        [],
        id="fresh-region-saying-up-still-counts",
    ),
    pytest.param(
        ["a", "b", "c"],
        {"region_quorum": 2},
        at("a", 0, "DDD") + at("b", 0, "DDD"),
        ["opened:down"],
        id="quorum-two-of-three-with-one-silent",
    ),
    pytest.param(
        ["a", "b", "c"],
        {"region_quorum": 2},
        at("a", 0, "DDD") + at("b", 0, "UUU"),
        [],
        id="quorum-two-one-failing-one-up-one-silent",
    ),
    pytest.param(
        ["a", "b", "c"],
        {},
        at("a", 0, "DDDUU") + at("b", 0, "DDDDD"),
        ["opened:down", "resolved:down"],
        id="majority-of-the-two-reporting-opens-and-resolves",
    ),
    pytest.param(
        [],
        {"minutes_down_before_incident": 5},
        at("eu", 0, "DDDD"),
        [],
        id="minutes-down-is-not-ored-with-the-failure-count",
    ),
    pytest.param(
        [],
        {"minutes_down_before_incident": 5},
        at("eu", 0, "DDDDDD"),
        ["opened:down"],
        id="minutes-down-opens-once-down-that-long",
    ),
]


@pytest.mark.parametrize(("regions", "alert", "results", "expected"), REGION_SCENARIOS)
def test_regions(
    regions: list[str], alert: dict[str, object], results: list[CheckCompleted], expected: list[str]
) -> None:
    _, recorded, _ = play(results, rules_with(regions, **alert))
    assert recorded == expected


def test_cause_and_start_come_from_the_confirming_results() -> None:
    # eu failed long ago and went quiet: its error and start time must not leak into the alert
    results = at("eu", 0, "DD") + at("local", 0, "UU") + at("local", 30, "DDD")
    _, recorded, alerts = play(results, rules_with(region_quorum=1))
    assert recorded == ["opened:down"]
    opened = alerts[0]
    assert isinstance(opened, IncidentOpened)
    assert opened.failing_regions == ["local"]
    assert opened.opened_at == results[-3].finished_at


def test_a_region_back_from_silence_starts_a_new_run() -> None:
    # two failures, silence, one failure: not three in a row
    _, recorded, _ = play(at("eu", 0, "DD") + at("eu", 30, "D"), rules_with())
    assert recorded == []


def test_silent_regions_are_recorded_and_every_region_silent_opens_one_incident() -> None:
    rules = rules_with(["local", "eu"])
    state, _, _ = play(at("local", 0, "UU") + at("eu", 0, "UU") + at("local", 20, "U"), rules)
    assert state.silent == ("eu",)
    later = T0 + timedelta(minutes=40)
    quiet, notices = judge_silence(state, rules, later, trigger_request_id="")
    assert [(n.transition, getattr(n.alert, "kind", "")) for n in notices] == [("opened", "silent")]
    assert quiet.silent == ("eu", "local")
    opened = notices[0].alert
    assert isinstance(opened, IncidentOpened)
    assert opened.opened_at == T0 + timedelta(minutes=20)  # the last result heard
    # the same silence later: nothing new
    assert judge_silence(quiet, rules, later + timedelta(hours=1), trigger_request_id="")[1] == []
    back = decide(quiet, at("eu", 45, "U")[0], rules, later)
    assert [(n.transition, getattr(n.alert, "kind", "")) for n in back.recorded] == [
        ("resolved", "silent")
    ]
    assert back.state.silent == ("local",)


def test_no_region_is_called_silent_before_a_freshness_was_watched() -> None:
    rules = rules_with()
    state, _, _ = play(at("eu", 0, "UU"), rules)
    later = T0 + timedelta(minutes=40)
    watched = later - timedelta(minutes=5)
    assert judge_silence(state, rules, later, trigger_request_id="", watched_since=watched) == (
        state,
        [],
    )


def test_tls_failure_seen_from_one_region_is_one_incident_without_flapping() -> None:
    results = []
    for day in range(4):
        results.append(tls_result(MONITOR, day, days_remaining=60, valid=False, region="eu"))
        results.append(tls_result(MONITOR, day, days_remaining=60, region="local"))
    rules = rules_with(["eu", "local"]).model_copy(update={"check_kinds": ("tls",)})
    state, recorded, alerts = play(results, rules)
    assert recorded == ["opened:tls_invalid"]
    assert isinstance(alerts[0], IncidentOpened) and alerts[0].failing_regions == ["eu"]
    # eu sees a valid certificate again: resolved once
    fixed = tls_result(MONITOR, 4, days_remaining=60, region="eu")
    assert [n.transition for n in decide(state, fixed, rules, fixed.finished_at).recorded] == [
        "resolved"
    ]


def test_removing_a_monitor_resolves_its_incidents_and_pages_nobody() -> None:
    state, recorded, _ = play(at("eu", 0, "DDD"), rules_with())
    assert recorded == ["opened:down"]
    decision = retire(state, T0 + timedelta(hours=1))
    assert decision.deliver == ()
    (notice,) = decision.recorded
    assert isinstance(notice.alert, IncidentResolved)
    assert notice.alert.reason == "monitor removed"
    assert decision.state.incidents == {}
