"""The notifier's dead-letter path with faust's real record shape (float-second timestamps)."""

from __future__ import annotations

import json

import faust
from faust.types.tuples import Message

from pulsecheck.notifier.dead_letters import DeadLetters, consumed_from_faust
from pulsecheck.notifier.metrics import NotifierMetrics
from pulsecheck.shared.kafka.deadletter import DeadLetterRecord


def faust_event(key: bytes | None, value: bytes | None) -> faust.Event:
    message = Message(
        topic="t.pulsecheck.checks.completed", partition=2, offset=41,
        timestamp=1_772_000_000.123, timestamp_type=0, headers=[], key=key, value=value,
        checksum=None,
    )  # fmt: skip
    return faust.Event(faust.App("dead-letter-test"), key, value, [], message)


def test_a_faust_timestamp_in_seconds_becomes_milliseconds() -> None:
    record = consumed_from_faust(faust_event(b"k", b"v").message)
    assert record.timestamp == 1_772_000_000_123
    assert (record.topic, record.partition, record.offset) == (
        "t.pulsecheck.checks.completed",
        2,
        41,
    )


async def test_a_huge_record_with_a_non_utf8_key_is_dead_lettered() -> None:
    sent: list[tuple[str, bytes | None, bytes]] = []

    async def send(topic: str, key: bytes | None, value: bytes) -> None:
        sent.append((topic, key, value))

    metrics = NotifierMetrics.create()
    letters = DeadLetters("dlq", "notifier", send, metrics)
    event = faust_event(b"\xff\xfe", b"x" * 1_000_000)
    await letters.send(event.message, "too_large", "too big")
    [(topic, key, value)] = sent
    letter = DeadLetterRecord.model_validate(json.loads(value))
    assert topic == "dlq" and key == b"\xff\xfe"
    assert letter.original_timestamp_ms == 1_772_000_000_123
    assert letter.value_truncated and letter.value_size == 1_000_000
    assert len(value) < 200_000
    assert metrics.registry.get_sample_value("pulsecheck_notifier_dead_letters_total") == 1


async def test_a_letter_the_broker_refuses_is_counted_not_raised() -> None:
    async def refuse(topic: str, key: bytes | None, value: bytes) -> None:
        raise RuntimeError("MessageSizeTooLargeError")

    metrics = NotifierMetrics.create()
    await DeadLetters("dlq", "notifier", refuse, metrics).send(
        faust_event(None, b"x").message, "not_json", "garbage"
    )
    samples = metrics.registry.get_sample_value
    assert samples("pulsecheck_notifier_dead_letter_failures_total") == 1
    assert samples("pulsecheck_notifier_dead_letters_total") == 0
