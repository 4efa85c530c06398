"""Reading a test's topics on the real broker, and deleting them afterwards.

Reads stop at the end offsets taken when the read starts, never "when it goes quiet": a pause
in a busy broker would otherwise end the read early and return a truncated list.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from pulsecheck.shared.events import DecodeError, Envelope, decode
from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity

POLL_MS = 200


@asynccontextmanager
async def committed_reader(
    bootstrap: str, topic: str, *, deadline: float, security: KafkaSecurity = PLAINTEXT
) -> AsyncIterator[AIOKafkaConsumer]:
    """A group-less consumer of every partition of `topic`, from the earliest offset, once its
    partitions are assigned (AssertionError if that is not so by the `time.monotonic()` deadline);
    `security`: whose principal reads (a SASL broker's ACLs decide what it may).

    read_committed: a transactional writer's (the scheduler's) open or aborted records are not
    results, and the end offsets it sees are the last stable ones.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        isolation_level="read_committed",
        **security.client_kwargs(),
    )
    await consumer.start()
    try:
        consumer.subscribe([topic])
        # without a group, every partition is assigned as soon as the topic's metadata arrives
        while not consumer.assignment():
            if time.monotonic() > deadline:
                raise AssertionError(f"topic {topic} has no partitions to read")
            await asyncio.sleep(0.05)
        yield consumer
    finally:
        await consumer.stop()


async def read_to_end(
    bootstrap: str, topic: str, *, within: float = 30.0, security: KafkaSecurity = PLAINTEXT
) -> list[ConsumerRecord]:
    """Every record of `topic` up to the end offsets of its partitions at call time."""
    deadline = time.monotonic() + within
    async with committed_reader(bootstrap, topic, deadline=deadline, security=security) as consumer:
        ends: dict[TopicPartition, int] = await consumer.end_offsets(list(consumer.assignment()))
        records: list[ConsumerRecord] = []
        while True:
            # positions, not record counts: read_committed skips aborted records and markers
            behind = [tp for tp, end in ends.items() if await consumer.position(tp) < end]
            if not behind:
                return records
            if time.monotonic() > deadline:
                raise AssertionError(f"{topic}: not read to {ends} within {within:g} s")
            batches = await consumer.getmany(*behind, timeout_ms=POLL_MS)
            for tp, batch in batches.items():
                records += [record for record in batch if record.offset < ends[tp]]


async def read_all(
    bootstrap: str, topic: str, *, within: float = 30.0, security: KafkaSecurity = PLAINTEXT
) -> list[Envelope]:
    """Every decodable event of `topic` up to its end offsets at call time."""
    records = await read_to_end(bootstrap, topic, within=within, security=security)
    decoded = [decode(record.value) for record in records]
    return [event for event in decoded if not isinstance(event, DecodeError)]


async def read_at_least(
    bootstrap: str, topic: str, count: int, *, within: float = 20.0
) -> list[ConsumerRecord]:
    """The first `count` (or more) records of `topic`, or fewer if `within` seconds pass first."""
    deadline = time.monotonic() + within
    records: list[ConsumerRecord] = []
    async with committed_reader(bootstrap, topic, deadline=deadline) as consumer:
        while len(records) < count and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=POLL_MS)
            records += [record for batch in batches.values() for record in batch]
    return records


async def leaders_elected(bootstrap: str, names: Sequence[str]) -> bool:
    """Whether every partition of `names` has a leader: a consumer started before that stalls."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="pulsecheck-tests")
    await admin.start()
    try:
        described = await admin.describe_topics(list(names))
    finally:
        await admin.close()
    return all(
        topic["error_code"] == 0 and all(p["leader"] >= 0 for p in topic["partitions"])
        for topic in described
    )


async def delete_topics_under(bootstrap: str, prefix: str) -> None:
    """Deletes every topic named `prefix…` (a test's own, its changelogs and progress topics):
    a broker that keeps every test's partitions runs out of file descriptors on restart."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="pulsecheck-tests")
    await admin.start()
    try:
        names = [name for name in await admin.list_topics() if name.startswith(prefix)]
        if names:
            await admin.delete_topics(names)
    finally:
        await admin.close()


async def read_until(
    bootstrap: str, topic: str, wanted: int, *, within: float = 30.0
) -> list[tuple[int, bytes | None]]:
    """(partition, value) of the first `wanted` (or more) records; AssertionError if fewer come."""
    records = await read_at_least(bootstrap, topic, wanted, within=within)
    assert len(records) >= wanted, f"{topic}: {len(records)} of {wanted} records in {within:g} s"
    return [(record.partition, record.value) for record in records]


@asynccontextmanager
async def reading_in_background(
    bootstrap: str,
    topic: str,
    on_batch: Callable[[list[ConsumerRecord]], None],
    *,
    security: KafkaSecurity = PLAINTEXT,
) -> AsyncIterator[None]:
    """Hands each batch of `topic` (read_committed, from the earliest) to `on_batch` until exit."""
    deadline = time.monotonic() + 30
    async with committed_reader(bootstrap, topic, deadline=deadline, security=security) as consumer:

        async def read() -> None:
            while True:
                batches = await consumer.getmany(timeout_ms=100)
                on_batch([record for batch in batches.values() for record in batch])

        task = asyncio.create_task(read())
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
