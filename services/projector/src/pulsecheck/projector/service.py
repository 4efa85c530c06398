"""The projector's loop: poll a batch, write it in one transaction, then commit offsets.

Positions live in PostgreSQL with the rows; on every partition assignment the consumer
seeks to them, so Kafka's committed offsets are only a hint for lag tooling. The live loop
polls and decodes the next batch while PostgreSQL writes the previous one; writes stay one
at a time and in order. A PostgreSQL outage only pauses the loop: each write is retried on a
new connection until it lands (`Database`), and a broker outage only pauses the offset
commits, which are retried with the next batch.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import psycopg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from pulsecheck.projector.batch import OrderedEvent, SortedBatch, sort_records
from pulsecheck.projector.database import Database
from pulsecheck.projector.metrics import ProjectorMetrics
from pulsecheck.projector.writer import OnUnappliable, stored_positions, write_batch
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.shared.kafka.consumer import PartitionListener
from pulsecheck.shared.kafka.deadletter import ConsumedRecord, Publisher, send_dead_letter
from pulsecheck.shared.liveness import TimerWatch
from pulsecheck.shared.topics import Topics

log = logging.getLogger(__name__)

CONSUMER_NAME = "pulsecheck-projector"
# batches hold thousands of records; fetches this large fill one when catching up or rebuilding
FETCH_BYTES = 8 * 1024 * 1024


def projected_topics(topics: Topics) -> list[str]:
    return [topics.monitors, topics.channels, topics.checks_completed, topics.alerts]


@dataclass
class Projector:
    db: Database
    consumer: AIOKafkaConsumer
    topics: Topics
    metrics: ProjectorMetrics
    # None while rebuilding: bad records were dead-lettered the first time round
    dead_letters: Publisher | None
    batch_size: int = 5000
    batch_wait_ms: int = 200
    # False for a group-less consumer (rebuild): there is no group to commit to
    commits_offsets: bool = True
    # the live loop beats on every turn (at least every `batch_wait_ms`): silent = stuck
    loop_watch: TimerWatch | None = None
    _writing: asyncio.Task[SortedBatch] | None = field(default=None, init=False, repr=False)

    async def poll(self) -> list[ConsumedRecord]:
        """Up to `batch_size` records, waiting at most `batch_wait_ms` to fill the batch."""
        records: list[ConsumedRecord] = []
        deadline = time.monotonic() + self.batch_wait_ms / 1000
        while len(records) < self.batch_size:
            left_ms = max(0, int((deadline - time.monotonic()) * 1000))
            polled = await self.consumer.getmany(
                timeout_ms=left_ms, max_records=self.batch_size - len(records)
            )
            for partition_records in polled.values():
                records.extend(partition_records)
            if left_ms == 0 or not polled:
                break
        return records

    async def handle(self, records: list[ConsumedRecord]) -> SortedBatch:
        return await self.write(sort_records(records, self.topics), records)

    async def write(self, batch: SortedBatch, records: list[ConsumedRecord]) -> SortedBatch:
        by_position = {(r.topic, r.partition, r.offset): r for r in records}
        for rejected in batch.rejected:
            await self._dead_letter(rejected.record, rejected.kind, rejected.reason)

        async def unappliable(event: OrderedEvent, reason: str) -> None:
            record = by_position[(event.topic, event.partition, event.offset)]
            await self._dead_letter(record, "unappliable", reason)

        async def write_all(conn: Connection) -> None:
            try:
                await write_batch(conn, batch, unappliable)
            except psycopg.DataError:
                # one row PostgreSQL refuses must not stop the read model: find it, write the rest
                log.warning("batch refused; writing its results one at a time", exc_info=True)
                await self._write_singly(conn, batch, unappliable)

        await self.db.run(write_all)
        self.metrics.observe_batch(batch)
        return batch

    async def _write_singly(
        self, conn: Connection, batch: SortedBatch, unappliable: OnUnappliable
    ) -> None:
        for row, record in zip(batch.results, batch.result_records, strict=True):
            try:
                await write_batch(conn, SortedBatch(results=[row]), unappliable)
            except psycopg.DataError as exc:
                await self._dead_letter(record, "unappliable", f"could not apply: {exc}")
        rest = SortedBatch(
            ordered=batch.ordered, tombstones=batch.tombstones, positions=batch.positions
        )
        await write_batch(conn, rest, unappliable)

    async def commit(self, batch: SortedBatch) -> None:
        if not self.commits_offsets:
            return
        # a rebalance may have moved a partition away while its batch was being written
        assigned = self.consumer.assignment()
        offsets = {
            tp: offset
            for (topic, partition), offset in batch.positions.items()
            if (tp := TopicPartition(topic, partition)) in assigned
        }
        if not offsets:
            return
        try:
            await self.consumer.commit(offsets)
        except KafkaError:
            # positions are already durable in PostgreSQL; the next batch commits again
            log.warning("offset commit failed; the broker may be away", exc_info=True)

    async def step(self) -> int:
        records = await self.poll()
        if not records:
            return 0
        batch = await self.handle(records)
        await self.commit(batch)
        await self.metrics.observe_lag(self.consumer)
        return len(records)

    async def run(self, stop: asyncio.Event, idle: Callable[[], Awaitable[None]]) -> None:
        """`step` in a loop, pipelined: decoding the next batch (Python) overlaps writing the
        previous one (PostgreSQL)."""
        try:
            while not stop.is_set():
                if self.loop_watch is not None:
                    self.loop_watch.beat(time.monotonic())
                records = await self.poll()
                batch = sort_records(records, self.topics) if records else None
                await self.settle()
                if batch is None:
                    await idle()
                    continue
                self._writing = asyncio.create_task(self.write(batch, records))
        finally:
            await self.settle()

    async def settle(self) -> None:
        """Wait until the batch being written is durable, then commit its offsets."""
        writing, self._writing = self._writing, None
        if writing is None:
            return
        batch = await writing
        await self.commit(batch)
        await self.metrics.observe_lag(self.consumer)

    async def _dead_letter(self, record: ConsumedRecord, kind: str, reason: str) -> None:
        self.metrics.dead_letters.inc()
        log.warning("dead-lettering a record", extra={"topic": record.topic, "reason": reason})
        if self.dead_letters is not None:
            await send_dead_letter(
                self.dead_letters, self.topics.deadletter, record, CONSUMER_NAME, kind, reason
            )


def seek_to_stored_positions(
    consumer: AIOKafkaConsumer, db: Database, settle: Callable[[], Awaitable[None]]
) -> PartitionListener:
    """On every assignment, resume each partition where the read model says it is, once the
    batch in flight (`settle`) is written; hand partitions over with their last batch written."""

    async def revoked(_: set[TopicPartition]) -> None:
        await settle()

    async def assigned(partitions: set[TopicPartition]) -> None:
        await settle()
        positions = await db.run(stored_positions)
        for tp in partitions:
            stored = positions.get((tp.topic, tp.partition))
            if stored is not None:
                consumer.seek(tp, stored)

    return PartitionListener(on_assigned=assigned, on_revoked=revoked)
