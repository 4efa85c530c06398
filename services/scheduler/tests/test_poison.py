"""No record stops the scheduler: every poison kind on the compacted monitors topic is
dead-lettered once, not again after a restart that re-reads it, and the good monitor runs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from pulsecheck.shared.events import CheckSkipped, encode, new_envelope
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.poison import (
    dead_letters,
    expected_letters,
    letters_per_offset,
    poison_records,
    send_all,
)

pytestmark = pytest.mark.kafka


async def test_compacted_poison_is_dead_lettered_once_across_restarts(
    kafka_bootstrap: str, topics: Topics, monitors: Any, requests: Any,
    start_scheduler: Any, until_scheduling: Any,
) -> None:  # fmt: skip
    now = datetime.now(UTC)
    stray = CheckSkipped(
        request_id="r", monitor_id="m", account_id="a", kind="http", region="x",
        scheduled_for=now, deadline=now, skipped_at=now, reason="belongs on checks.completed",
    )  # fmt: skip
    poisons = poison_records(
        encode(new_envelope(stray, source="test", subject="m")), compacted=True
    )
    expected = expected_letters(await send_all(kafka_bootstrap, topics.monitors, poisons))
    await monitors.register("m-good")

    async def letters_once() -> None:
        async with asyncio.timeout(30):
            while True:
                letters = await dead_letters(kafka_bootstrap, topics.deadletter)
                if len(letters_per_offset(letters, topics.monitors)) >= len(expected):
                    break
                await asyncio.sleep(0.2)
        assert letters_per_offset(letters, topics.monitors) == expected
        assert all(letter["reason"] for letter in letters)

    first = await start_scheduler()
    await until_scheduling(first)
    await requests.wait_for(lambda: len(requests.of("m-good")) >= 1, what="the good monitor")
    await letters_once()
    assert first.status()[0], "the scheduler is unhealthy"
    await first.stop()

    # a restart re-reads the compacted topic from offset 0: the poison is seen again
    second = await start_scheduler()
    await until_scheduling(second)
    seen = len(requests.of("m-good"))
    await requests.wait_for(lambda: len(requests.of("m-good")) > seen, what="still scheduling")
    await asyncio.sleep(1.5)  # at least one idle checkpoint transaction after the rebuild
    await letters_once()
