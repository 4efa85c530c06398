"""The scheduler through the real broker: registration, changes, pause, removal, restarts and
replicas, each checked on what a prober (a read_committed reader) receives."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import pytest

from pulsecheck.scheduler.main import wall_clock_ms
from pulsecheck.scheduler.offsets import stable_offset_ms

pytestmark = pytest.mark.kafka


def duplicates(ids: list[str]) -> list[str]:
    return [request_id for request_id, count in Counter(ids).items() if count > 1]


def steps(slots: list[int]) -> set[int]:
    return {b - a for a, b in itertools.pairwise(slots)}


async def test_registered_monitor_is_requested_on_its_grid_within_one_interval(
    monitors: Any, requests: Any, start_scheduler: Any, until_scheduling: Any
) -> None:
    scheduler = await start_scheduler()
    await until_scheduling(scheduler)
    registered_at = wall_clock_ms()
    await monitors.register("m-new", interval_seconds=2, check_kinds=["http", "tcp"])
    await requests.wait_for(lambda: len(requests.of("m-new")) >= 4, what="two slots of each kind")

    first = requests.of("m-new")[0]
    assert first.received_ms - registered_at <= 2_000 + 1_000
    offset = stable_offset_ms("m-new", 2_000)
    assert all((slot - offset) % 2_000 == 0 for slot in requests.slots("m-new"))
    request = first.request
    assert request.target == "https://m-new.test/"
    assert request.account_id == "acct-1"
    assert request.timeout_seconds == 10.0
    assert (request.deadline - request.scheduled_for).total_seconds() == 2.0
    assert request.request_id == f"m-new:{request.kind}:{request.scheduled_for.isoformat()}"
    assert {r.request.kind for r in requests.of("m-new")} == {"http", "tcp"}


async def test_interval_change_takes_effect_from_the_next_slot(
    monitors: Any, requests: Any, start_scheduler: Any, until_scheduling: Any
) -> None:
    await monitors.register("m-change", interval_seconds=4)
    scheduler = await start_scheduler()
    await until_scheduling(scheduler)
    await requests.wait_for(lambda: len(requests.of("m-change")) >= 2, what="two slow slots")
    changed_at = wall_clock_ms()
    await monitors.update("m-change", interval_seconds=1)
    await requests.wait_for(
        lambda: len([s for s in requests.slots("m-change") if s > changed_at]) >= 4,
        what="four fast slots",
    )
    before = [s for s in requests.slots("m-change") if s <= changed_at]
    after = [s for s in requests.slots("m-change") if s > changed_at]
    assert steps(before) <= {4_000}
    assert after[0] - changed_at <= 1_000 + 1_000
    assert steps(after) == {1_000}
    assert not duplicates(requests.request_ids())


@pytest.mark.parametrize("silence", ["pause", "remove", "tombstone"])
async def test_paused_or_removed_monitor_goes_silent(
    silence: str, monitors: Any, requests: Any, start_scheduler: Any, until_scheduling: Any
) -> None:
    await monitors.register("m-quiet")
    await monitors.register("m-witness")
    scheduler = await start_scheduler()
    await until_scheduling(scheduler)
    await requests.wait_for(lambda: len(requests.of("m-quiet")) >= 1, what="a first request")
    silenced_at = wall_clock_ms()
    if silence == "pause":
        await monitors.update("m-quiet", paused=True)
    elif silence == "remove":
        await monitors.remove("m-quiet")
    else:
        await monitors.tombstone("m-quiet")
    # the witness keeps its cadence: three of its slots pass with nothing from the silenced one
    await requests.wait_for(
        lambda: len([s for s in requests.slots("m-witness") if s > silenced_at + 1_000]) >= 3,
        what="three witness slots",
    )
    late = [s for s in requests.slots("m-quiet") if s > silenced_at + 1_000]
    assert late == []
    if silence == "pause":
        resumed_at = wall_clock_ms()
        await monitors.update("m-quiet", paused=False)
        await requests.wait_for(
            lambda: any(s > resumed_at for s in requests.slots("m-quiet")), what="resumed"
        )


async def test_bad_records_go_to_the_dead_letter_topic_and_the_rest_is_scheduled(
    monitors: Any, requests: Any, start_scheduler: Any, until_scheduling: Any, dead_letters: Any
) -> None:
    await monitors.raw(b"m-garbage", b"not json")
    await monitors.register_unchecked("m-bad-cron", check_kinds=["tls"], tls_schedule="every day")
    await monitors.register("m-good")
    scheduler = await start_scheduler()
    await until_scheduling(scheduler)
    await requests.wait_for(lambda: len(requests.of("m-good")) >= 1, what="the good monitor")
    letters = await dead_letters(2)
    assert sorted(letter["error_kind"] for letter in letters) == ["invalid_data", "not_json"]
    registry = scheduler.metrics.registry
    assert registry.get_sample_value("pulsecheck_scheduler_dead_letters_total") == 2
