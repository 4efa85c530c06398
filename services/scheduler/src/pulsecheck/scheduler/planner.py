"""The pure planner: from a monitor's spec to its cadences, and from `now` to its next slots.

Rules (each a table of scenarios in tests/test_planner.py):
- uptime kinds (http, tcp, dns) recur every `interval_seconds` (never below the configured
  minimum) at k * interval + offset, the offset a stable hash of the monitor id in
  [0, interval), so monitors registered together never fire together;
- tls (https, tls:// and STARTTLS certificates alike) recurs on the monitor's cron expression
  (UTC), each fire shifted by a stable offset in [0, tls_window_seconds), spreading a daily
  midnight check over the window;
- a paused monitor has no cadence, so it emits nothing;
- a heartbeat has no cadence either: it is pinged, and `heartbeat_judge` owns its deadlines;
- a registration or change takes effect from the next slot of the new cadence after `now`;
- after downtime (the partition's last emitted slot is `emitted_through`), only the latest
  missed slot is due, once; slots already emitted are never planned again.
"""

from __future__ import annotations

from dataclasses import dataclass

from pulsecheck.scheduler.cadence import Cadence, CronCadence, IntervalCadence
from pulsecheck.scheduler.cron_calendar import typical_period_ms
from pulsecheck.scheduler.offsets import stable_offset_ms
from pulsecheck.shared.events import MonitorSpec
from pulsecheck.shared.events.common import PUSHED_KINDS, UPTIME_KINDS, CheckKind
from pulsecheck.shared.events.cron import cron_problem


class InvalidSchedule(ValueError):
    """The spec breaks the contract's cron rule (a record built before the rule existed)."""


@dataclass(frozen=True, slots=True)
class PlanningRules:
    min_interval_ms: int = 10_000


def effective_interval_ms(spec: MonitorSpec, rules: PlanningRules) -> int:
    return max(spec.interval_seconds * 1000, rules.min_interval_ms)


def cadences_for(spec: MonitorSpec, rules: PlanningRules) -> dict[CheckKind, Cadence]:
    """Each check kind of the monitor with its cadence; empty when the monitor is paused."""
    if spec.paused:
        return {}
    cadences: dict[CheckKind, Cadence] = {}
    for kind in dict.fromkeys(spec.check_kinds):
        if kind in PUSHED_KINDS:
            continue  # nothing to request: pings arrive, and their deadlines are judged apart
        if kind in UPTIME_KINDS:
            interval = effective_interval_ms(spec, rules)
            cadences[kind] = IntervalCadence(interval, stable_offset_ms(spec.monitor_id, interval))
        else:
            # decoding already applied this rule; planning must not trust a spec built otherwise
            problem = cron_problem(spec.tls_schedule)
            if problem is not None:
                raise InvalidSchedule(f"tls_schedule {spec.tls_schedule!r} {problem}")
            window = spec.tls_window_seconds * 1000
            cadences[kind] = CronCadence(
                spec.tls_schedule,
                stable_offset_ms(spec.monitor_id, window),
                typical_period_ms(spec.tls_schedule),
            )
    return cadences


def next_slot(cadence: Cadence, now_ms: int) -> int:
    """The slot a newly registered or changed monitor waits for: the first after `now`."""
    return cadence.next_after(now_ms)


def resumed_slot(cadence: Cadence, now_ms: int, emitted_through_ms: int | None) -> int:
    """The first slot to emit after a (re)start: the latest missed one, else the next one.

    `emitted_through_ms` is the partition's checkpoint: every slot at or before it was emitted.
    None means the partition was never scheduled before, so nothing was missed.
    """
    if emitted_through_ms is not None:
        latest = cadence.latest_at_or_before(now_ms)
        if latest > emitted_through_ms:
            return latest
    return cadence.next_after(now_ms)


def slot_to_emit(cadence: Cadence, due_slot_ms: int, now_ms: int) -> int:
    """The slot to emit when `due_slot_ms` is reached at `now_ms`: the latest one passed, so a
    clock that fell behind emits one catch-up request, not one per missed interval."""
    return max(due_slot_ms, cadence.latest_at_or_before(now_ms))


def deadline_ms(cadence: Cadence, scheduled_for_ms: int, max_lateness_ms: int) -> int:
    """A request is worth running until the next one is due, and never longer than the cap."""
    return scheduled_for_ms + min(cadence.period_ms(), max_lateness_ms)
