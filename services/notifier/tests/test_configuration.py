"""The configuration view: records in, rules and channels out; the reader through the broker."""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest

from pulsecheck.notifier.configuration import (
    ConfigurationReader,
    ConfigurationView,
    configuration_consumer,
)
from pulsecheck.shared.events import (
    AlertRules,
    ChannelRemoved,
    MonitorRegistered,
    MonitorRemoved,
    MonitorUpdated,
    encode,
    new_envelope,
)
from pulsecheck.shared.events.common import Contract
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.alerts import channel

MONITORS, CHANNELS = "t.pulsecheck.monitors", "t.pulsecheck.channels"


def record(payload: Contract, key: str) -> tuple[bytes, bytes]:
    return key.encode(), encode(new_envelope(payload, source="test", subject=key))


def spec(kind: type[MonitorRegistered] = MonitorRegistered, **alert: object) -> MonitorRegistered:
    return kind(
        monitor_id="mon-1",
        account_id="acct-1",
        name="Shop",
        url="https://shop.example.test/",
        alert_rules=AlertRules.model_validate(alert),
    )


def test_latest_spec_gives_the_rules() -> None:
    view = ConfigurationView(MONITORS, CHANNELS)
    view.apply(MONITORS, *record(spec(), "mon-1"))
    view.apply(MONITORS, *record(spec(MonitorUpdated, failures_before_incident=5), "mon-1"))
    assert view.rules["mon-1"].name == "Shop"
    assert view.rules["mon-1"].alert.failures_before_incident == 5


@pytest.mark.parametrize(
    "removal",
    [
        pytest.param(
            record(MonitorRemoved(monitor_id="mon-1", account_id="acct-1"), "mon-1"), id="event"
        ),
        pytest.param((b"mon-1", None)),
    ],
    ids=["event", "tombstone"],
)
def test_removed_monitor_has_no_rules(removal: tuple[bytes, bytes | None]) -> None:
    view = ConfigurationView(MONITORS, CHANNELS)
    view.apply(MONITORS, *record(spec(), "mon-1"))
    view.apply(MONITORS, *removal)
    assert view.rules == {}


def test_channels_come_and_go() -> None:
    view = ConfigurationView(MONITORS, CHANNELS)
    view.apply(CHANNELS, *record(channel("sms", "+15550001111", channel_id="ch-1"), "ch-1"))
    view.apply(CHANNELS, *record(channel("email", "a@b.test", channel_id="ch-2"), "ch-2"))
    view.apply(CHANNELS, *record(ChannelRemoved(channel_id="ch-1", account_id="acct-1"), "ch-1"))
    view.apply(CHANNELS, b"ch-2", None)
    assert view.channels == {}


def test_undecodable_record_changes_nothing() -> None:
    view = ConfigurationView(MONITORS, CHANNELS)
    view.apply(MONITORS, *record(spec(), "mon-1"))
    view.apply(MONITORS, b"mon-1", b"{not json")
    assert "mon-1" in view.rules


def test_a_tombstone_with_a_non_utf8_key_changes_nothing() -> None:
    view = ConfigurationView(MONITORS, CHANNELS)
    view.apply(MONITORS, *record(spec(), "mon-1"))
    view.apply(MONITORS, b"\xff\xfe", None)
    assert "mon-1" in view.rules


def test_an_event_of_another_topic_is_not_configuration() -> None:
    view = ConfigurationView(MONITORS, CHANNELS)
    view.apply(CHANNELS, *record(spec(), "mon-1"))
    assert view.rules == {} and view.channels == {}


@pytest.mark.kafka
async def test_reader_covers_everything_produced_before_it_is_asked(
    topics: Topics, kafka_bootstrap: str
) -> None:
    producer = EventProducer.connect(kafka_bootstrap, "configuration-test")
    await producer.start()
    reader = ConfigurationReader(
        ConfigurationView(topics.monitors, topics.channels),
        configuration_consumer(kafka_bootstrap, "configuration-test"),
        patience_seconds=20,
    )
    running = asyncio.create_task(reader.run())
    try:
        for n in range(3):
            configured = channel("sms", f"+1555000000{n}", channel_id=f"ch-{n}")
            await producer.publish(
                topics.channels, new_envelope(configured, source="t", subject=f"ch-{n}")
            )
        await producer.publish(topics.monitors, new_envelope(spec(), source="t", subject="mon-1"))
        assert await reader.covering(time.time())
        assert sorted(reader.view.channels) == ["ch-0", "ch-1", "ch-2"]
        assert "mon-1" in reader.view.rules
        # already covered: answers without asking the broker again
        assert await reader.covering(reader.covered_until)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await producer.stop()
