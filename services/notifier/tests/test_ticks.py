"""The timer's scan skips quiet monitors without copying their state: it must tick exactly the
monitors the full rule (`has_timed_work`, or silence judged as time passes) would tick."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from pulsecheck.channels.recipients import RecipientDigest
from pulsecheck.notifier.configuration import ConfigurationReader, ConfigurationView
from pulsecheck.notifier.decide import has_timed_work
from pulsecheck.notifier.delivery import RetryPolicy
from pulsecheck.notifier.incidents import open_incident
from pulsecheck.notifier.metrics import NotifierMetrics
from pulsecheck.notifier.pipeline import Pipeline
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.state import MonitorState, RegionTally
from pulsecheck.shared.events import AlertRules
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.alerts import opened_notice
from pulsecheck.testing.results import T0

NOW = T0 + timedelta(hours=1)
REGIONS = ("eu", "us", "ap")


def _pipeline(states: dict[str, MonitorState], rules: dict[str, MonitorRules]) -> Pipeline:
    view = ConfigurationView("monitors", "channels", rules=rules)

    def no_consumer(topics: tuple[str, ...]) -> object:
        raise AssertionError("the scan reads no topic")

    configuration = ConfigurationReader(view, no_consumer)  # type: ignore[arg-type]
    pipeline = Pipeline(
        topics=Topics(),
        deliveries_topic="deliveries",
        source="test",
        dashboard_url="http://dashboard.test",
        states=states,
        configuration=configuration,
        delivered={},
        senders={},
        policy=RetryPolicy(),
        publish=_no_publish,
        clock=lambda: NOW,
        metrics=NotifierMetrics.create(),
        recipient_digest=RecipientDigest(b"key"),
    )
    pipeline._started = T0
    return pipeline


async def _no_publish(topic: str, key: str, value: bytes, wait: bool) -> None:
    raise AssertionError("the scan publishes nothing")


def _full_rule(pipeline: Pipeline) -> list[str]:
    """What the timer ticked before the shortcut: every monitor judged in full."""
    view = pipeline.configuration.view
    due = []
    for monitor_id in list(pipeline.states):
        state = pipeline._current(monitor_id)
        rules = view.rules.get(monitor_id)
        if state is not None and (
            has_timed_work(state, rules, NOW) or pipeline._silence(state, rules)[0] != state
        ):
            due.append(monitor_id)
    return due


def _ago(rng: random.Random, interval: int) -> datetime:
    # fresh (well within 2.5 intervals), just fresh, just stale, or long stale
    return NOW - timedelta(seconds=interval * rng.choice((0.5, 2.4, 2.6, 6.0)))


def _monitor(rng: random.Random, index: int) -> tuple[MonitorState, MonitorRules | None]:
    monitor_id = f"m{index}"
    interval = rng.choice((30, 60, 300))
    regions = rng.sample(REGIONS, rng.randint(1, 3))
    rules = MonitorRules(
        monitor_id=monitor_id,
        account_id="acct-1",
        name=monitor_id,
        url="https://shop.example.test/",
        paused=rng.random() < 0.1,
        regions=tuple(regions) if rng.random() < 0.3 else (),
        interval_seconds=interval,
        alert=AlertRules(reminder_minutes=rng.choice((None, 10, 120))),
    )
    reporting = [r for r in regions if rng.random() < 0.9]
    state = MonitorState(
        monitor_id=monitor_id,
        account_id="acct-1",
        status="up",
        regions={r: RegionTally(consecutive_successes=2) for r in reporting},
        watermarks={f"http:{r}": _ago(rng, interval) for r in reporting},
        silent=tuple(r for r in regions if rng.random() < 0.1),
        held=(opened_notice(monitor_id),) if rng.random() < 0.05 else (),
    )
    if rng.random() < 0.1:
        state, _ = open_incident(
            state,
            rng.choice(("down", "silent")),
            opened_at=NOW - timedelta(minutes=rng.choice((5, 30, 300))),
            confirmed_at=NOW - timedelta(minutes=rng.choice((1, 20, 200))),
            trigger_request_id=f"r{index}",
            cause=None,
            failing_regions=regions,
        )
    return state, None if rng.random() < 0.05 else rules


def test_the_scan_ticks_exactly_the_monitors_the_full_rule_ticks() -> None:
    rng = random.Random(16)
    states: dict[str, MonitorState] = {}
    rules: dict[str, MonitorRules] = {}
    for index in range(3000):
        state, monitor_rules = _monitor(rng, index)
        states[state.monitor_id] = state
        if monitor_rules is not None:
            rules[state.monitor_id] = monitor_rules
    pipeline = _pipeline(states, rules)
    # steady results seen since the state was stored move only the in-memory watermarks
    for monitor_id, state in states.items():
        if state.watermarks and rng.random() < 0.3:
            pipeline._seen[monitor_id] = {mark: NOW for mark in state.watermarks}
    due = pipeline.due_ticks()
    assert due == _full_rule(pipeline)
    # the table has every kind of monitor: quiet ones, and ones the timer must visit
    assert 300 < len(due) < 2700
