"""The common case, decided cheaply: an "up" result for a monitor that is up and stays up.

`is_steady` says whether a result changes nothing but the watermark (so nothing is announced
or stored); `steady_decision` returns exactly what `decide` would return then, or None when
`decide` must run. test_steady.py checks the two agree on every scenario table.
"""

from __future__ import annotations

from datetime import datetime

from pulsecheck.notifier.decide import Decision, decide
from pulsecheck.notifier.regions import candidates, is_fresh, watched_kinds
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.state import MonitorState, RegionTally
from pulsecheck.shared.events import CheckCompleted
from pulsecheck.shared.events.common import UPTIME_KINDS


def is_steady(state: MonitorState, result: CheckCompleted, rules: MonitorRules) -> bool:
    """True when `result` changes nothing but the watermark: nothing to announce or store."""
    if (
        result.outcome != "up"
        or result.tls is not None
        or result.kind not in UPTIME_KINDS
        or rules.paused
        or not state.account_id
        or state.status != "up"
        or state.incidents
        or state.held
        or _slow(result, rules)
    ):
        return False
    seen = state.watermarks.get(f"{result.kind}:{result.region}")
    if seen is not None and result.scheduled_for <= seen:
        return False
    if result.region not in state.regions or state.silent:
        return False
    if not _all_fresh(state, result, rules):
        return False
    # every region saturated up: no count moves, no failure can be confirmed by the clock
    successes = rules.alert.successes_before_resolve
    if not all(_saturated_up(tally, successes) for tally in state.regions.values()):
        return False
    return not rules.regions or all(name in rules.regions for name in state.regions)


def steady_decision(
    state: MonitorState, result: CheckCompleted, rules: MonitorRules
) -> Decision | None:
    """What `decide` returns for a steady result, or None when `decide` must run."""
    if not is_steady(state, result, rules):
        return None
    watermarks = {**state.watermarks, f"{result.kind}:{result.region}": result.scheduled_for}
    return Decision(state.model_copy(update={"watermarks": watermarks}), (), (), changed=False)


def _all_fresh(state: MonitorState, result: CheckCompleted, rules: MonitorRules) -> bool:
    """Every region counted and watched is fresh: none is revived, none falls silent."""
    at = result.scheduled_for
    kinds = watched_kinds(rules)
    marks = state.watermarks
    return all(
        is_fresh(marks, rules, region, UPTIME_KINDS, at) for region in state.regions
    ) and all(
        is_fresh(marks, rules, region, kinds, at) for region in candidates(marks, rules, kinds)
    )


def _slow(result: CheckCompleted, rules: MonitorRules) -> bool:
    threshold = rules.alert.latency_threshold_ms
    latency = result.uptime.latency_ms if result.uptime else None
    return threshold is not None and latency is not None and latency > threshold


def _saturated_up(tally: RegionTally, successes: int) -> bool:
    return (
        tally.consecutive_failures == 0
        and tally.consecutive_successes == successes
        and tally.failing_since is None
        and not tally.slow
        and tally.last_error is None
    )


def decide_fast(
    state: MonitorState, result: CheckCompleted, rules: MonitorRules, now: datetime
) -> Decision:
    """`decide`, taking the steady shortcut when it applies."""
    return steady_decision(state, result, rules) or decide(state, result, rules, now)
