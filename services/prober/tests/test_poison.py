"""No record stops the prober: every poison kind is dead-lettered once, the next request runs."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from pulsecheck.prober.service import ProberService
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.shared.events import CheckCompleted, CheckSkipped, decode, encode, new_envelope
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.check_requests import answer_http, http_check_request
from pulsecheck.testing.kafka import read_until
from pulsecheck.testing.poison import (
    Poison,
    dead_letters,
    expected_letters,
    letters_per_offset,
    poison_records,
    send_all,
)

pytestmark = pytest.mark.kafka


async def test_every_poison_is_dead_lettered_once_and_the_good_request_runs(
    kafka_bootstrap: str, topics: Topics, fleet: Any
) -> None:
    site = await fleet.start(answer_http)
    settings = ProberSettings(
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topics.prefix,
        region=f"test-{uuid.uuid4().hex[:8]}",
        target_allow_list="127.0.0.0/8",
        health_host="127.0.0.1",
        health_port=0,
        concurrency=4,
        use_uvloop=False,
        drain_seconds=5,
    )
    now = datetime.now(UTC)
    completed_elsewhere = CheckSkipped(
        request_id="r", monitor_id="m", account_id="a", kind="http", region="x",
        scheduled_for=now, deadline=now, skipped_at=now, reason="belongs on checks.completed",
    )  # fmt: skip
    poisons = poison_records(
        encode(new_envelope(completed_elsewhere, source="test", subject="m")), compacted=False
    )
    good = Poison(
        "good", b"m-good", encode(http_check_request("m-good", f"http://127.0.0.1:{site.port}/"))
    )
    # all on one partition, the good request last, so it runs only after every poison
    written = await send_all(kafka_bootstrap, topics.checks_requested, [*poisons, good])

    service = ProberService(settings)
    running = asyncio.create_task(service.run())
    try:
        results = await read_until(kafka_bootstrap, topics.checks_completed, 1)
        decoded = decode(results[0][1])
        assert not isinstance(decoded, type(None))
        assert isinstance(decoded.data, CheckCompleted)  # type: ignore[union-attr]
        assert decoded.data.monitor_id == "m-good"  # type: ignore[union-attr]
        assert not running.done(), "the prober stopped"
    finally:
        service.request_stop()
        await asyncio.wait_for(running, 30)

    letters = await dead_letters(kafka_bootstrap, topics.deadletter)
    per_offset = letters_per_offset(letters, topics.checks_requested)
    assert per_offset == expected_letters({p: r for p, r in written.items() if r is not good})
    by_kind = {
        written[(0, letter["original_offset"])].name: letter  # type: ignore[index]
        for letter in letters
    }
    assert all(letter["reason"] for letter in by_kind.values())
    assert by_kind["huge"]["value_truncated"] is True
    assert by_kind["huge"]["value_size"] == len(poisons[4].value or b"")
    assert by_kind["non_utf8_key"]["original_key"] == b"\xff\xfe\xfd".decode("utf-8", "replace")
