"""Reads of a real topic stop at the end offsets taken at call time, committed records only."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import (
    delete_topics_under,
    leaders_elected,
    read_at_least,
    read_to_end,
)
from pulsecheck.testing.waiting import wait_until

pytestmark = pytest.mark.kafka


async def _ready(kafka_bootstrap: str, topics: Topics) -> None:
    names = [spec.name for spec in topics.specs()]
    await wait_until(lambda: leaders_elected(kafka_bootstrap, names), within=30, what="leaders")


async def test_read_to_end_reads_every_partition_and_nothing_written_after(
    kafka_bootstrap: str, topics: Topics
) -> None:
    await _ready(kafka_bootstrap, topics)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for i in range(30):
            await producer.send_and_wait(topics.deadletter, f"{i}".encode(), partition=i % 3)
        before = await read_to_end(kafka_bootstrap, topics.deadletter)
        await producer.send_and_wait(topics.deadletter, b"later", partition=0)
    finally:
        await producer.stop()
    assert sorted(int(record.value) for record in before) == list(range(30))
    assert len(await read_to_end(kafka_bootstrap, topics.deadletter)) == 31


async def test_read_to_end_skips_aborted_records_and_an_empty_topic_ends_at_once(
    kafka_bootstrap: str, topics: Topics
) -> None:
    await _ready(kafka_bootstrap, topics)
    assert await read_to_end(kafka_bootstrap, topics.deadletter) == []
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap, transactional_id=f"t-{uuid.uuid4().hex[:8]}"
    )
    await producer.start()
    try:
        async with producer.transaction():
            await producer.send_and_wait(topics.deadletter, b"kept", partition=1)
        await producer.begin_transaction()
        await producer.send_and_wait(topics.deadletter, b"aborted", partition=1)
        await producer.abort_transaction()
    finally:
        await producer.stop()
    values = [record.value for record in await read_to_end(kafka_bootstrap, topics.deadletter)]
    assert values == [b"kept"]


async def test_read_at_least_is_bounded_by_its_deadline(
    kafka_bootstrap: str, topics: Topics
) -> None:
    await _ready(kafka_bootstrap, topics)
    started = asyncio.get_running_loop().time()
    assert await read_at_least(kafka_bootstrap, topics.deadletter, 1, within=1.0) == []
    assert asyncio.get_running_loop().time() - started < 10


async def _topic_names(kafka_bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def test_delete_topics_under_removes_only_the_prefix(kafka_bootstrap: str) -> None:
    mine = Topics(prefix=f"t{uuid.uuid4().hex[:10]}.")
    other = Topics(prefix=f"t{uuid.uuid4().hex[:10]}.")
    await ensure_topics(kafka_bootstrap, [*mine.specs(), *other.specs()], partitions=1)
    try:
        await delete_topics_under(kafka_bootstrap, mine.prefix)

        async def only_other_left() -> bool:
            names = await _topic_names(kafka_bootstrap)
            assert not {n for n in names if n.startswith(mine.prefix)}, "mine still listed"
            return {spec.name for spec in other.specs()} <= names

        # deletion completes asynchronously on the broker
        assert await wait_until(only_other_left, within=30, what="only the other prefix")
    finally:
        await delete_topics_under(kafka_bootstrap, other.prefix)
