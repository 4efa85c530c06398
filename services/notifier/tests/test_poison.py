"""No record stops the notifier process: every poison kind on every input topic is dead-lettered
once, and the DOWN alert behind them still goes out."""

from __future__ import annotations

import pytest

from pulsecheck.shared.events import encode, new_envelope
from pulsecheck.shared.events.monitors import MonitorRegistered
from pulsecheck.testing.alerts import channel
from pulsecheck.testing.notifier_stage import Stage, down_then_up
from pulsecheck.testing.poison import (
    Poison,
    dead_letters,
    expected_letters,
    letters_per_offset,
    poison_records,
    send_all,
)
from pulsecheck.testing.results import uptime_result
from pulsecheck.testing.waiting import wait_until

pytestmark = pytest.mark.kafka


async def test_every_poison_is_dead_lettered_once_and_the_alert_goes_out(
    stage: Stage,
) -> None:
    topics = stage.topics
    result = encode(new_envelope(uptime_result("mon-x", 0, "up"), source="test", subject="mon-x"))
    spec = MonitorRegistered(
        monitor_id="mon-y", account_id="acct-1", name="Stray", url="https://stray.test/"
    )
    stray_spec = encode(new_envelope(spec, source="test", subject="mon-y"))
    stray_channel = encode(
        new_envelope(channel("sms", "+15550000000", channel_id="ch-x"), source="t", subject="x")
    )
    sent: dict[str, list[Poison]] = {
        topics.checks_completed: poison_records(stray_spec, compacted=False),
        topics.monitors: poison_records(result, compacted=True),
        topics.channels: poison_records(result, compacted=True),
    }
    expected = {
        topic: expected_letters(await send_all(stage.bootstrap, topic, poisons))
        for topic, poisons in sent.items()
    }
    await stage.results(*down_then_up())
    notifier = stage.notifier().start()
    try:
        await wait_until(lambda: len(stage.sms_texts()) >= 2, what="DOWN and RECOVERED SMS")
        # faust has made its internal topic by now (a producer first would make it too small)
        deliveries = f"{topics.prefix}pulsecheck-notifier-deliveries"
        expected[deliveries] = expected_letters(
            await send_all(
                stage.bootstrap, deliveries, poison_records(stray_channel, compacted=False)
            )
        )
        total = sum(len(e) for e in expected.values())
        await wait_until(
            lambda: notifier.counter("pulsecheck_notifier_dead_letters_total") >= total,
            what="every poison dead-lettered",
        )
        letters = await dead_letters(stage.bootstrap, topics.deadletter)
        for topic in expected:
            assert letters_per_offset(letters, topic) == expected[topic], topic
        assert all(letter["reason"] for letter in letters)
        assert notifier.process is not None and notifier.process.poll() is None
    finally:
        assert notifier.stop() == 0
    assert stage.sms_texts()[0].startswith("DOWN: Shop is down")
