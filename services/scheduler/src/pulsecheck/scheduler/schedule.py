"""One partition's schedule: its monitors (the table) and a heap of their next slots.

Pure: every method takes `now_ms`; nothing here reads a clock or touches Kafka. The heap holds
(slot, monitor id, kind, version); a change bumps the monitor's version, so stale heap entries
are skipped when they surface instead of being searched for and removed.
"""

from __future__ import annotations

import heapq
import sys
from dataclasses import dataclass

from pulsecheck.scheduler.cadence import Cadence
from pulsecheck.scheduler.heartbeat_judge import Watched
from pulsecheck.scheduler.planner import (
    PlanningRules,
    cadences_for,
    next_slot,
    resumed_slot,
    slot_to_emit,
)
from pulsecheck.shared.events import HeartbeatOptions, HttpCheckOptions, MonitorSpec
from pulsecheck.shared.events.common import CheckKind
from pulsecheck.shared.events.dns_options import DnsCheckOptions


@dataclass(frozen=True, slots=True)
class ScheduledMonitor:
    """What the scheduler keeps of a monitor: only what a CheckRequested needs (a full spec
    costs ~5 KB in memory; this costs a few hundred bytes, shared options interned)."""

    monitor_id: str
    account_id: str
    url: str
    timeout_seconds: float
    http: HttpCheckOptions
    dns: DnsCheckOptions | None
    warning_days: tuple[int, ...]
    cadences: dict[CheckKind, Cadence]
    version: int
    regions: tuple[str, ...] = ()
    # a heartbeat being watched (None: not a heartbeat, or paused)
    heartbeat: HeartbeatOptions | None = None


@dataclass(frozen=True, slots=True)
class DueCheck:
    monitor: ScheduledMonitor
    kind: CheckKind
    scheduled_for_ms: int


class OptionsInterner:
    """Shares equal option objects between monitors (most use the defaults)."""

    def __init__(self) -> None:
        self._http: dict[str, HttpCheckOptions] = {}
        self._days: dict[tuple[int, ...], tuple[int, ...]] = {}

    def http(self, options: HttpCheckOptions) -> HttpCheckOptions:
        return self._http.setdefault(options.model_dump_json(), options)

    def warning_days(self, days: list[int]) -> tuple[int, ...]:
        as_tuple = tuple(days)
        return self._days.setdefault(as_tuple, as_tuple)


class PartitionSchedule:
    def __init__(self, rules: PlanningRules, interner: OptionsInterner | None = None) -> None:
        self._rules = rules
        self._interner = interner or OptionsInterner()
        self._monitors: dict[str, ScheduledMonitor] = {}
        self._heap: list[tuple[int, str, CheckKind, int]] = []
        self._running = False
        self._last_version = 0

    def __len__(self) -> int:
        return len(self._monitors)

    def __contains__(self, monitor_id: object) -> bool:
        return monitor_id in self._monitors

    @property
    def running(self) -> bool:
        return self._running

    def upsert(self, spec: MonitorSpec, now_ms: int) -> ScheduledMonitor:
        """Register or change a monitor; once running, it is due from its next slot.

        Raises InvalidSchedule (leaving the previous version in place) if it cannot be planned.
        """
        monitor = ScheduledMonitor(
            monitor_id=sys.intern(spec.monitor_id),
            account_id=sys.intern(spec.account_id),
            url=spec.url,
            timeout_seconds=spec.timeout_seconds,
            http=self._interner.http(spec.http),
            dns=spec.dns,
            warning_days=self._interner.warning_days(spec.warning_days),
            cadences=cadences_for(spec, self._rules),
            version=self._last_version + 1,
            regions=tuple(sys.intern(region) for region in spec.regions),
            heartbeat=(
                spec.heartbeat_options()
                if "heartbeat" in spec.check_kinds and not spec.paused
                else None
            ),
        )
        self._last_version = monitor.version
        self._monitors[monitor.monitor_id] = monitor
        self._drop_stale_entries_if_many()
        if self._running:
            for kind, cadence in monitor.cadences.items():
                self._push(next_slot(cadence, now_ms), monitor, kind)
        return monitor

    def watched(self, monitor_id: str) -> Watched | None:
        """The heartbeat `monitor_id` is, if it is one being watched."""
        monitor = self._monitors.get(monitor_id)
        if monitor is None or monitor.heartbeat is None:
            return None
        return Watched(monitor.monitor_id, monitor.account_id, monitor.url, monitor.heartbeat)

    def remove(self, monitor_id: str) -> bool:
        return self._monitors.pop(monitor_id, None) is not None

    def start(self, now_ms: int, emitted_through_ms: int | None) -> None:
        """Begin scheduling the loaded table, catching up once on what fell due while stopped."""
        self._heap = []
        for monitor in self._monitors.values():
            for kind, cadence in monitor.cadences.items():
                self._push(resumed_slot(cadence, now_ms, emitted_through_ms), monitor, kind)
        self._running = True

    @property
    def planned_entries(self) -> int:
        return len(self._heap)

    def next_due_ms(self) -> int | None:
        while self._heap and self._is_stale(self._heap[0]):
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now_ms: int, limit: int | None = None) -> list[DueCheck]:
        """The checks due at `now_ms` (each once, at most `limit`), their next slots planned."""
        due: list[DueCheck] = []
        while self._heap and self._heap[0][0] <= now_ms and (limit is None or len(due) < limit):
            entry = heapq.heappop(self._heap)
            if self._is_stale(entry):
                continue
            slot, monitor_id, kind, _ = entry
            monitor = self._monitors[monitor_id]
            cadence = monitor.cadences[kind]
            emitted = slot_to_emit(cadence, slot, now_ms)
            due.append(DueCheck(monitor, kind, emitted))
            self._push(cadence.next_after(max(emitted, now_ms)), monitor, kind)
        return due

    def _drop_stale_entries_if_many(self) -> None:
        # changes leave stale entries behind; keep the heap proportional to the live table
        if len(self._heap) > 4 * len(self._monitors) + 1024:
            self._heap = [entry for entry in self._heap if not self._is_stale(entry)]
            heapq.heapify(self._heap)

    def _push(self, slot_ms: int, monitor: ScheduledMonitor, kind: CheckKind) -> None:
        heapq.heappush(self._heap, (slot_ms, monitor.monitor_id, kind, monitor.version))

    def _is_stale(self, entry: tuple[int, str, CheckKind, int]) -> bool:
        current = self._monitors.get(entry[1])
        return current is None or current.version != entry[3] or entry[2] not in current.cadences
