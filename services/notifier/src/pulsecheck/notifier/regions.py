"""Which regions count, and the signal a silent one raises (pure; see the README, "Regions").

A region's latest result counts only while fresh: its newest `scheduled_for` of a kind (the
state's watermark "kind:region") is within `rules.freshness(kind)` of the instant judged. A
result is judged at its own `scheduled_for`, time passing at the instant the notifier has
observed up to, so a notifier catching up on a backlog finds no region silent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from pulsecheck.notifier.incidents import open_incident, resolve_incident
from pulsecheck.notifier.notices import Notice
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.state import MonitorState
from pulsecheck.shared.events.common import UPTIME_KINDS
from pulsecheck.shared.region_freshness import is_fresh as fresh_since

# newest `scheduled_for` per "kind:region" (MonitorState.watermarks)
Watermarks = Mapping[str, datetime]


def last_seen(watermarks: Watermarks, region: str, kinds: Iterable[str]) -> datetime | None:
    seen = [m for k in kinds if (m := watermarks.get(f"{k}:{region}")) is not None]
    return max(seen, default=None)


def is_fresh(
    watermarks: Watermarks, rules: MonitorRules, region: str, kinds: frozenset[str], at: datetime
) -> bool:
    return fresh_since(last_seen(watermarks, region, kinds), rules.freshness(next(iter(kinds))), at)


def fresh_regions(
    state: MonitorState, rules: MonitorRules, kinds: frozenset[str], at: datetime
) -> set[str]:
    """The regions reporting `kinds`: configured ones (or any, when none is) with a fresh result."""
    marks = state.watermarks
    return {r for r in candidates(marks, rules, kinds) if is_fresh(marks, rules, r, kinds, at)}


def stale_regions(
    watermarks: Watermarks, rules: MonitorRules, kinds: frozenset[str], at: datetime
) -> tuple[str, ...]:
    """The monitor's regions without a fresh result of `kinds` at `at`: the silent ones."""
    return tuple(
        r
        for r in candidates(watermarks, rules, kinds)
        if not is_fresh(watermarks, rules, r, kinds, at)
    )


def candidates(watermarks: Watermarks, rules: MonitorRules, kinds: frozenset[str]) -> list[str]:
    """The monitor's regions: those configured, or every region that ever sent `kinds`."""
    if rules.regions:
        return sorted(rules.regions)
    return sorted({mark.split(":", 1)[1] for mark in watermarks if mark.split(":")[0] in kinds})


def watched_kinds(rules: MonitorRules) -> frozenset[str]:
    """What silence is judged by: the uptime checks, or TLS for a monitor that has only that."""
    uptime = UPTIME_KINDS & set(rules.check_kinds)
    return frozenset(uptime) if uptime else frozenset({"tls"})


def judge_silence(
    state: MonitorState,
    rules: MonitorRules,
    at: datetime,
    *,
    trigger_request_id: str,
    watched_since: datetime | None = None,
) -> tuple[MonitorState, list[Notice]]:
    """Records which regions are silent at `at`; opens a "silent" incident when every region of
    the monitor is, and resolves it once one reports again. `watched_since`: when the caller
    began observing (a region cannot be called silent before a full freshness has passed)."""
    kinds = watched_kinds(rules)
    if rules.paused or (
        watched_since is not None and at - watched_since < rules.freshness(next(iter(kinds)))
    ):
        return state, []
    regions = candidates(state.watermarks, rules, kinds)
    silent = stale_regions(state.watermarks, rules, kinds, at)
    if silent != state.silent:
        state = state.model_copy(update={"silent": silent})
    heard = [s for r in regions if (s := last_seen(state.watermarks, r, kinds)) is not None]
    # a monitor none of whose regions ever reported has not stopped: it has not started
    every = bool(heard) and len(silent) == len(regions)
    if every and "silent" not in state.incidents:
        since = max(heard)
        state, notice = open_incident(
            state,
            "silent",
            opened_at=since,
            confirmed_at=at,
            # one silence, one id: the instant the last result was scheduled names it
            trigger_request_id=f"silent:{since.isoformat()}",
            cause=None,
            failing_regions=list(silent),
        )
        return state, [notice]
    if not every and "silent" in state.incidents:
        state, resolved = resolve_incident(
            state, "silent", resolved_at=at, trigger_request_id=trigger_request_id
        )
        return state, [resolved] if resolved else []
    return state, []
