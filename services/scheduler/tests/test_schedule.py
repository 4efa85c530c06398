from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from pulsecheck.scheduler.offsets import stable_offset_ms
from pulsecheck.scheduler.planner import InvalidSchedule, PlanningRules
from pulsecheck.scheduler.schedule import PartitionSchedule
from pulsecheck.shared.events import MonitorSpec

RULES = PlanningRules(min_interval_ms=1_000)
T0 = round(datetime(2025, 6, 1, 12, 0, tzinfo=UTC).timestamp() * 1000)
TICK_MS = 100


def spec(monitor_id: str = "m-1", **changes: Any) -> MonitorSpec:
    fields: dict[str, Any] = {
        "monitor_id": monitor_id,
        "account_id": "acct-1",
        "name": "site",
        "url": f"https://{monitor_id}.test/",
        "check_kinds": ["http"],
        "interval_seconds": 60,
    }
    return MonitorSpec.model_validate(fields | changes)


class FakeClock:
    """Drives a schedule tick by tick, recording (monitor, kind, slot, emitted-at)."""

    def __init__(self, schedule: PartitionSchedule, now_ms: int) -> None:
        self.schedule = schedule
        self.now_ms = now_ms
        self.emitted: list[tuple[str, str, int, int]] = []

    def run_until(self, end_ms: int) -> None:
        while self.now_ms < end_ms:
            self.now_ms += TICK_MS
            for due in self.schedule.pop_due(self.now_ms):
                self.emitted.append(
                    (due.monitor.monitor_id, due.kind, due.scheduled_for_ms, self.now_ms)
                )

    def slots(self, monitor_id: str = "m-1", kind: str = "http") -> list[int]:
        return [slot for m, k, slot, _ in self.emitted if m == monitor_id and k == kind]


def started(*specs: MonitorSpec, now_ms: int = T0, through: int | None = None) -> FakeClock:
    schedule = PartitionSchedule(RULES)
    for monitor in specs:
        schedule.upsert(monitor, now_ms)
    schedule.start(now_ms, through)
    return FakeClock(schedule, now_ms)


def test_each_monitor_fires_once_per_interval_at_its_offset() -> None:
    clock = started(*(spec(f"m-{i}") for i in range(20)))
    clock.run_until(T0 + 300_000)
    for i in range(20):
        offset = stable_offset_ms(f"m-{i}", 60_000)
        assert clock.slots(f"m-{i}") == [T0 + k * 60_000 + offset for k in range(5)]
    assert all(emitted - slot < TICK_MS for _, _, slot, emitted in clock.emitted)


def test_monitors_registered_together_do_not_fire_together() -> None:
    clock = started(*(spec(f"m-{i}") for i in range(600)))
    clock.run_until(T0 + 60_000)
    per_second = Counter(slot // 1000 for _, _, slot, _ in clock.emitted)
    assert len(clock.emitted) == 600
    assert max(per_second.values()) <= 30  # 10 per second on average


def test_tls_is_spread_over_the_window_after_midnight() -> None:
    midnight = round(datetime(2025, 6, 2, tzinfo=UTC).timestamp() * 1000)
    monitors = [spec(f"m-{i}", check_kinds=["tls"]) for i in range(300)]
    clock = started(*monitors, now_ms=midnight - 1_000)
    clock.run_until(midnight + 3_600_000)
    slots = [slot for _, _, slot, _ in clock.emitted]
    assert len(slots) == 300
    assert all(midnight <= slot < midnight + 3_600_000 for slot in slots)
    per_ten_minutes = Counter((slot - midnight) // 600_000 for slot in slots)
    assert len(per_ten_minutes) == 6 and min(per_ten_minutes.values()) >= 25


@pytest.mark.parametrize(
    ("name", "down_for_ms", "expected_catch_up"),
    [
        ("restart within the same slot: nothing missed", 1_000, 0),
        ("down for one slot: it is emitted once", 60_000, 1),
        ("down for ten slots: only the latest, once", 600_000, 1),
    ],
)
def test_restart_emits_the_latest_missed_slot_once(
    name: str, down_for_ms: int, expected_catch_up: int
) -> None:
    offset = stable_offset_ms("m-1", 60_000)
    first = started(spec(), now_ms=T0 + offset - 500)
    first.run_until(T0 + offset + 500)  # emits the slot at T0 + offset
    stopped_at = first.now_ms
    second = started(spec(), now_ms=stopped_at + down_for_ms, through=stopped_at)
    second.run_until(second.now_ms + 120_000)
    before, after = first.slots(), second.slots()
    assert before == [T0 + offset], name
    catch_up = [slot for slot in after if slot <= stopped_at + down_for_ms]
    assert len(catch_up) == expected_catch_up, name
    combined = before + after
    assert len(set(combined)) == len(combined), f"{name}: a slot was emitted twice"
    following = [slot for slot in after if slot > stopped_at + down_for_ms]
    assert all(b - a == 60_000 for a, b in itertools.pairwise(following)), name


def test_pause_silences_and_resume_starts_from_the_next_slot() -> None:
    clock = started(spec())
    clock.run_until(T0 + 90_000)
    count_before_pause = len(clock.slots())
    clock.schedule.upsert(spec(paused=True), clock.now_ms)
    clock.run_until(T0 + 300_000)
    assert len(clock.slots()) == count_before_pause
    clock.schedule.upsert(spec(paused=False), clock.now_ms)
    resumed_at = clock.now_ms
    clock.run_until(T0 + 400_000)
    after = [slot for slot in clock.slots() if slot > resumed_at]
    assert after and after[0] - resumed_at <= 60_000


def test_interval_change_takes_the_new_cadence_from_the_next_slot() -> None:
    clock = started(spec(interval_seconds=300))
    clock.run_until(T0 + 1_000)
    changed_at = clock.now_ms
    clock.schedule.upsert(spec(interval_seconds=10), changed_at)
    clock.run_until(T0 + 61_000)
    slots = clock.slots()
    assert slots[0] - changed_at <= 10_000
    assert all(b - a == 10_000 for a, b in itertools.pairwise(slots))
    assert len(slots) == 6


def test_a_change_that_keeps_the_cadence_does_not_double_a_slot() -> None:
    clock = started(spec())
    for second in range(1, 120):
        clock.run_until(T0 + second * 1_000)
        clock.schedule.upsert(spec(name=f"renamed {second}"), clock.now_ms)
    clock.run_until(T0 + 180_000)
    assert len(clock.slots()) == len(set(clock.slots())) == 3


def test_removed_monitor_is_forgotten() -> None:
    clock = started(spec("m-1"), spec("m-2"))
    clock.run_until(T0 + 60_000)
    assert clock.schedule.remove("m-1")
    clock.run_until(T0 + 300_000)
    assert len(clock.slots("m-1")) == 1
    assert len(clock.slots("m-2")) == 5
    assert "m-1" not in clock.schedule


def test_a_late_clock_emits_one_catch_up_not_a_burst() -> None:
    clock = started(spec())
    clock.now_ms += 250_000  # the event loop stalled for four intervals
    due = clock.schedule.pop_due(clock.now_ms)
    assert len(due) == 1
    assert clock.now_ms - due[0].scheduled_for_ms < 60_000


def test_an_unplannable_change_keeps_the_previous_version() -> None:
    clock = started(spec(check_kinds=["http", "tls"]))
    with pytest.raises(InvalidSchedule):
        unplannable = spec(check_kinds=["http", "tls"]).model_copy(update={"tls_schedule": "nope"})
        clock.schedule.upsert(unplannable, T0)
    clock.run_until(T0 + 60_000)
    assert len(clock.slots()) == 1


def test_the_heap_stays_proportional_to_the_table_under_many_changes() -> None:
    clock = started(*(spec(f"m-{i}") for i in range(10)))
    for _ in range(2_000):
        clock.schedule.upsert(spec("m-1"), clock.now_ms)
    assert clock.schedule.planned_entries < 2_000  # stale entries are dropped
    clock.run_until(T0 + 60_000)
    assert len(clock.emitted) == 10
