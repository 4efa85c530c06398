"""Up, down and degraded: region tallies, quorum, and the incidents they open and resolve."""

from __future__ import annotations

from datetime import datetime

from pulsecheck.notifier.incidents import open_incident, resolve_incident
from pulsecheck.notifier.notices import Notice
from pulsecheck.notifier.regions import fresh_regions
from pulsecheck.notifier.rules import MonitorRules, minutes
from pulsecheck.notifier.state import MonitorState, RegionTally, Status
from pulsecheck.shared.events import CheckCompleted
from pulsecheck.shared.events.common import PUSHED_KINDS, UPTIME_KINDS

__all__ = ["UPTIME_KINDS", "apply_uptime"]


def apply_uptime(
    state: MonitorState, result: CheckCompleted, rules: MonitorRules
) -> tuple[MonitorState, list[Notice]]:
    """`state` already holds this result's watermark; only fresh regions count (regions.py)."""
    tally = _next_tally(state.regions.get(result.region, RegionTally()), result, rules)
    regions = {**state.regions, result.region: tally}
    if rules.regions:
        # a region no longer configured stops counting
        regions = {name: t for name, t in regions.items() if name in rules.regions}
    state = state.model_copy(update={"regions": regions})
    reporting = fresh_regions(state, rules, UPTIME_KINDS, result.scheduled_for)
    counted = {name: t for name, t in regions.items() if name in reporting}
    quorum = rules.quorum(len(counted))
    at = result.finished_at
    failing = sorted(name for name, t in counted.items() if _confirmed_failing(t, rules, at))
    unrecovered = [name for name, t in counted.items() if not _confirmed_up(t, rules)]
    slow = [name for name, t in counted.items() if t.slow and t.consecutive_failures == 0]
    notices: list[Notice] = []

    if "down" not in state.incidents and len(failing) >= quorum:
        since = min(counted[name].failing_since or at for name in failing)
        # the cause is the confirming result's own error when it is one of the failures
        witness = result.region if result.region in failing else failing[0]
        state, notice = open_incident(
            state,
            "down",
            opened_at=since,
            confirmed_at=result.finished_at,
            trigger_request_id=result.request_id,
            cause=counted[witness].last_error,
            failing_regions=failing,
        )
        notices.append(notice)
    elif "down" in state.incidents and len(unrecovered) < quorum:
        state, resolved = resolve_incident(
            state, "down", resolved_at=at, trigger_request_id=result.request_id
        )
        notices.extend([resolved] if resolved else [])

    degraded = "down" not in state.incidents and len(slow) >= quorum
    if rules.alert.notify_degraded:
        state, changes = _degraded_incident(state, degraded, result)
        notices.extend(changes)
    status: Status = "down" if "down" in state.incidents else "degraded" if degraded else "up"
    if status != state.status:
        state = state.model_copy(update={"status": status, "since": at})
    return state, notices


def _next_tally(tally: RegionTally, result: CheckCompleted, rules: MonitorRules) -> RegionTally:
    threshold = rules.alert.latency_threshold_ms
    latency = result.uptime.latency_ms if result.uptime else None
    slow = result.outcome == "degraded" or (
        threshold is not None and latency is not None and latency > threshold
    )
    if result.outcome == "down":
        # a pushed kind's failure is already confirmed: the scheduler reports a silence once,
        # after the grace, and a /fail is the job's own verdict (counting them never opened)
        failures = (
            rules.alert.failures_before_incident
            if result.kind in PUSHED_KINDS
            else tally.consecutive_failures + 1
        )
        return RegionTally(
            # saturate: beyond the threshold the count no longer changes a decision
            consecutive_failures=min(failures, rules.alert.failures_before_incident),
            failing_since=tally.failing_since or result.finished_at,
            last_error=result.error,
        )
    return RegionTally(
        consecutive_successes=min(
            tally.consecutive_successes + 1, rules.alert.successes_before_resolve
        ),
        slow=slow,
    )


def _confirmed_failing(tally: RegionTally, rules: MonitorRules, at: datetime) -> bool:
    """Down long enough: for `minutes_down_before_incident` minutes since the first failing
    result when that is set (the count of failures then plays no part), else that many
    consecutive failures."""
    if tally.consecutive_failures == 0:
        return False
    limit = minutes(rules.alert.minutes_down_before_incident)
    if limit is None:
        return tally.consecutive_failures >= rules.alert.failures_before_incident
    return tally.failing_since is not None and at - tally.failing_since >= limit


def _confirmed_up(tally: RegionTally, rules: MonitorRules) -> bool:
    return tally.consecutive_successes >= rules.alert.successes_before_resolve


def _degraded_incident(
    state: MonitorState, degraded: bool, result: CheckCompleted
) -> tuple[MonitorState, list[Notice]]:
    if degraded and "degraded" not in state.incidents:
        state, notice = open_incident(
            state,
            "degraded",
            opened_at=result.finished_at,
            confirmed_at=result.finished_at,
            trigger_request_id=result.request_id,
            cause=None,
            failing_regions=[],
        )
        return state, [notice]
    if not degraded and "degraded" in state.incidents:
        state, resolved = resolve_incident(
            state, "degraded", resolved_at=result.finished_at, trigger_request_id=result.request_id
        )
        return state, [resolved] if resolved else []
    return state, []
