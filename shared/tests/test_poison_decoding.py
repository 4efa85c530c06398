"""Decoding and dead-lettering never raise, whatever the record: tables of poison kinds."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pulsecheck.shared.events import CheckCompleted, DecodeError, Envelope, decode, decode_expecting
from pulsecheck.shared.events.envelope import MAX_EVENT_BYTES
from pulsecheck.shared.events.registry import (
    ALERTS_EVENTS,
    CHECKS_COMPLETED_EVENTS,
    MONITORS_EVENTS,
    events_on,
)
from pulsecheck.shared.kafka.deadletter import (
    KEPT_VALUE_BYTES,
    Consumed,
    DeadLetterRecord,
    dead_letter_for,
    send_dead_letter,
)
from pulsecheck.shared.storable_text import storable
from pulsecheck.shared.topics import Topics

GOLDEN = Path(__file__).parent / "golden"
COMPLETED = (GOLDEN / "io.pulsecheck.check.completed.v1.json").read_bytes()
REGISTERED = (GOLDEN / "io.pulsecheck.monitor.registered.v1.json").read_bytes()


def registered_with(field: str, raw_json: bytes) -> bytes:
    """The golden MonitorRegistered with `data[field]` set to `raw_json`, verbatim."""
    document = json.loads(REGISTERED)
    document["data"][field] = "PLACEHOLDER"
    return json.dumps(document).encode().replace(b'"PLACEHOLDER"', raw_json)


POISON = {
    "deep_list": b"[" * 100_000 + b"]" * 100_000,
    "deep_object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "deep_data": registered_with("name", b"[" * 5_000 + b"]" * 5_000),
    "huge": b'{"x":"' + b"a" * MAX_EVENT_BYTES + b'"}',
    "raw_nul": b'{"specversion":"1.0","id":"\x00"}',
    "garbage": b"\xff\xfe\x00garbage",
    "tombstone": None,
    "lone_surrogate": registered_with("name", b'"\\ud800"'),
}


@pytest.mark.parametrize("name", POISON)
def test_poison_is_a_decode_error_with_a_reason(name: str) -> None:
    for result in (decode(POISON[name]), decode_expecting(POISON[name], CheckCompleted)):
        assert isinstance(result, DecodeError), name
        assert result.reason


def test_too_large_is_refused_before_parsing() -> None:
    result = decode(POISON["huge"])
    assert isinstance(result, DecodeError) and result.kind == "too_large"


def test_an_event_of_another_topic_is_refused() -> None:
    on_results = decode_expecting(REGISTERED, CheckCompleted, CHECKS_COMPLETED_EVENTS)
    assert isinstance(on_results, DecodeError) and on_results.kind == "wrong_topic"
    assert isinstance(decode(COMPLETED, MONITORS_EVENTS), DecodeError)
    assert isinstance(decode(COMPLETED, CHECKS_COMPLETED_EVENTS), Envelope)
    assert isinstance(decode_expecting(COMPLETED, CheckCompleted, ALERTS_EVENTS), Envelope) is False


def test_every_topic_has_its_event_types() -> None:
    topics = Topics("x.")
    assert set(events_on(topics)) == {
        topics.monitors, topics.channels, topics.checks_requested,
        topics.checks_completed, topics.heartbeats, topics.alerts, topics.channel_tests,
    }  # fmt: skip


def test_a_huge_value_makes_a_letter_that_fits_the_broker() -> None:
    value = b"a" * 1_000_000
    record = Consumed("t", 0, 7, b"\xff" * 5_000, value, 1_700_000_000_000)
    letter = dead_letter_for(record, "c", "too_large", "r" * 100_000, datetime.now(UTC))
    assert len(letter.model_dump_json()) < 200_000
    assert letter.value_size == len(value) and letter.value_truncated
    assert letter.value_sha256 == hashlib.sha256(value).hexdigest()
    assert base64.b64decode(letter.value_base64 or "") == value[:KEPT_VALUE_BYTES]
    assert letter.original_key is not None and "\ufffd" in letter.original_key


class RefusingBroker:
    async def send_and_wait(self, topic: str, value: bytes | None = None, **kwargs: object) -> None:
        raise RuntimeError("MessageSizeTooLargeError")


async def test_a_refused_dead_letter_is_logged_not_raised() -> None:
    record = Consumed("t", 0, 1, None, b"x", 0)
    assert await send_dead_letter(RefusingBroker(), "dlq", record, "c", "k", "r") is False


def test_a_letter_round_trips() -> None:
    record = Consumed("t", 1, 2, b"k", b"v", 3)
    letter = dead_letter_for(record, "c", "k", "r", datetime.now(UTC))
    assert DeadLetterRecord.model_validate(json.loads(letter.model_dump_json())) == letter


@pytest.mark.parametrize(
    ("text", "stored"),
    [("plain", "plain"), ("a\x00b", "ab"), ("é\x00", "é"), ("x\ud800y", "x?y"), ("", "")],
)
def test_storable_text(text: str, stored: str) -> None:
    assert storable(text) == stored
