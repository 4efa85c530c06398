"""Every kind of record that once stopped a consumer, and a reader of the dead letters it got.

A service's poison test writes `poison_records(...)` to each input topic, then one good record,
and checks that each poison was dead-lettered exactly once and the good record was processed.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

# under the producer's 1 MiB max request size, above the decoder's bound
HUGE_VALUE_BYTES = 1_000_000
DEEP_NESTING = 100_000


@dataclass(frozen=True)
class Poison:
    name: str
    key: bytes | None
    value: bytes | None
    # False: a record the service applies rather than refuses (a tombstone on a compacted topic)
    dead_lettered: bool = True


def poison_records(wrong_topic_event: bytes, *, compacted: bool) -> list[Poison]:
    """`wrong_topic_event`: a valid event of a type that does not belong on the topic;
    `compacted`: the topic is a compacted table, where a tombstone is a removal, not poison."""
    cloudevent = {
        "specversion": "1.0",
        "id": "poison-wrong-type",
        "source": "test",
        "type": "io.pulsecheck.nothing.v1",
        "time": "2026-01-01T00:00:00Z",
        "subject": "poison",
        "data": {},
    }
    huge = b'{"padding":"' + b"x" * (HUGE_VALUE_BYTES - 20) + b'"}'
    return [
        Poison("garbage", b"poison-garbage", b"\x00\xff\xfe garbage \x9c"),
        Poison("wrong_schema", b"poison-schema", b'{"hello":"world","n":[1,2,3]}'),
        Poison("wrong_type", b"poison-type", json.dumps(cloudevent).encode()),
        Poison("deep", b"poison-deep", b"[" * DEEP_NESTING + b"]" * DEEP_NESTING),
        Poison("huge", b"poison-huge", huge),
        Poison("nul", b"poison-nul", b'{"specversion":"1.0","id":"\x00"}'),
        Poison("non_utf8_key", b"\xff\xfe\xfd", b"not json either"),
        Poison("tombstone", b"poison-tombstone", None, dead_lettered=not compacted),
        Poison("wrong_topic", b"poison-wrong-topic", wrong_topic_event),
    ]


async def send_all(
    bootstrap: str, topic: str, records: list[Poison], partition: int = 0
) -> dict[tuple[int, int], Poison]:
    """Writes `records` in order to one partition; (partition, offset) → the record there."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=2 * 1024 * 1024)
    await producer.start()
    written = {}
    try:
        for record in records:
            metadata = await producer.send_and_wait(
                topic, record.value, key=record.key, partition=partition
            )
            written[(partition, metadata.offset)] = record
    finally:
        await producer.stop()
    return written


def expected_letters(written: dict[tuple[int, int], Poison]) -> dict[tuple[int, int], int]:
    """What `letters_per_offset` must say: one letter per poison that is dead-lettered."""
    return {position: 1 for position, poison in written.items() if poison.dead_lettered}


async def dead_letters(bootstrap: str, deadletter_topic: str) -> list[dict[str, object]]:
    """Every letter on the dead-letter topic, read up to its end offsets."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics([deadletter_topic])
    finally:
        await admin.close()
    partitions = [
        TopicPartition(deadletter_topic, p["partition"]) for p in described[0]["partitions"]
    ]
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    letters: list[dict[str, object]] = []
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        async with asyncio.timeout(30):
            for tp in partitions:
                while await consumer.position(tp) < ends[tp]:
                    batch = await consumer.getmany(tp, timeout_ms=500)
                    letters += [json.loads(r.value or b"{}") for r in batch.get(tp, [])]
    finally:
        await consumer.stop()
    return letters


def letters_per_offset(
    letters: list[dict[str, object]], topic: str
) -> Counter[tuple[object, object]]:
    """(partition, offset) of the original → how many letters name it."""
    return Counter(
        (letter["original_partition"], letter["original_offset"])
        for letter in letters
        if letter["original_topic"] == topic
    )
