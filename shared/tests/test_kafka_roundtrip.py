"""Through the real local broker: an event goes out and comes back; garbage is dead-lettered."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaConsumer

from pulsecheck.shared.events import CheckRequested, Envelope, new_envelope, request_id_for
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.kafka.deadletter import DeadLetterRecord, decode_or_dead_letter
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics

pytestmark = pytest.mark.kafka


def _request(monitor_id: str) -> CheckRequested:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return CheckRequested(
        request_id=request_id_for(monitor_id, "http", now),
        monitor_id=monitor_id,
        account_id="acct",
        kind="http",
        target="https://example.test/",
        scheduled_for=now,
        deadline=now + timedelta(minutes=1),
    )


def _consumer(bootstrap: str, topic: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"test-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )


async def test_event_is_produced_and_consumed(kafka_bootstrap: str, topics: Topics) -> None:
    producer = EventProducer.connect(kafka_bootstrap, "test")
    await producer.start()
    sent = [new_envelope(_request(f"m{i}"), source="test", subject=f"m{i}") for i in range(5)]
    try:
        await producer.publish_many(topics.checks_requested, sent)
    finally:
        await producer.stop()

    consumer = _consumer(kafka_bootstrap, topics.checks_requested)
    await consumer.start()
    received: dict[str, Envelope] = {}
    try:
        async with asyncio.timeout(30):
            while len(received) < len(sent):
                batch = await consumer.getmany(timeout_ms=1000)
                for records in batch.values():
                    for record in records:
                        envelope = await decode_or_dead_letter(
                            producer.raw, topics.deadletter, record, "test"
                        )
                        assert envelope is not None
                        assert record.key == envelope.subject.encode()
                        received[envelope.id] = envelope
    finally:
        await consumer.stop()
    assert {e.id: e.data for e in sent} == {i: e.data for i, e in received.items()}


async def test_malformed_message_is_dead_lettered_and_consumer_carries_on(
    kafka_bootstrap: str, topics: Topics
) -> None:
    producer = EventProducer.connect(kafka_bootstrap, "test")
    await producer.start()
    good = new_envelope(_request("m-good"), source="test", subject="m-good")
    await producer.raw.send_and_wait(topics.checks_requested, b"{not json", key=b"m-bad")
    await producer.publish(topics.checks_requested, good)

    consumer = _consumer(kafka_bootstrap, topics.checks_requested)
    await consumer.start()
    handled: list[Envelope] = []
    try:
        async with asyncio.timeout(30):
            while not handled:
                batch = await consumer.getmany(timeout_ms=1000)
                for records in batch.values():
                    for record in records:
                        envelope = await decode_or_dead_letter(
                            producer.raw, topics.deadletter, record, "test-consumer"
                        )
                        if envelope is not None:
                            handled.append(envelope)
    finally:
        await consumer.stop()
        await producer.stop()
    assert [e.id for e in handled] == [good.id]

    letters = _consumer(kafka_bootstrap, topics.deadletter)
    await letters.start()
    try:
        async with asyncio.timeout(30):
            record = await letters.getone()
    finally:
        await letters.stop()
    letter = DeadLetterRecord.model_validate(json.loads(record.value))
    assert letter.original_topic == topics.checks_requested
    assert letter.original_key == "m-bad"
    assert letter.original_offset == 0
    assert letter.consumer == "test-consumer"
    assert letter.error_kind == "not_json"
    assert "not valid JSON" in letter.reason
    assert record.key == b"m-bad"


async def test_topic_creation_is_idempotent_and_applies_the_registry(
    kafka_bootstrap: str,
) -> None:
    fresh = Topics(prefix=f"t{uuid.uuid4().hex[:10]}.")
    first = await ensure_topics(kafka_bootstrap, fresh.specs(), partitions=4)
    second = await ensure_topics(kafka_bootstrap, fresh.specs(), partitions=4)
    assert {r.action for r in first} == {"created"}
    assert {r.action for r in second} == {"verified"}
    partitions = {r.name: r.partitions for r in second}
    assert partitions[fresh.checks_completed] == 4
    assert partitions[fresh.deadletter] == 3


async def test_internal_topics_take_the_partitions_their_sources_have(
    kafka_bootstrap: str, topics: Topics
) -> None:
    # under the fixture's prefix, so the fixture deletes these too
    nested = Topics(prefix=f"{topics.prefix}n.")
    # an installation whose public topics were made with 5 partitions, configured for 4 now
    await ensure_topics(kafka_bootstrap, nested.public_specs(), partitions=5)
    reports = await ensure_topics(kafka_bootstrap, nested.specs(), partitions=4)
    created = {r.name: r.partitions for r in reports if r.action == "created"}
    assert created == {spec.name: 5 for spec in nested.internal_specs()}
