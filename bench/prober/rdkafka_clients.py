"""librdkafka (confluent-kafka) clients for the A/B of `kafka_clients.py`, nothing more.

They keep what the shared factories promise (`build_consumer`: manual commits, earliest,
read_committed, the same session and fetch sizes; `build_producer`: acks=all, idempotent,
linger 5 ms) and speak the part of aiokafka's API the bench drives. librdkafka is blocking C:
the consumer's calls run on one thread of their own, and delivery reports are served by a poller
thread that hands them to the loop in batches (one wake-up per poll, not per record).

Measured not worth it for the prober (bench/prober/README.md), so nothing in production uses it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import threading
from typing import Any, NamedTuple

import confluent_kafka
from aiokafka import TopicPartition

from pulsecheck.shared.kafka.consumer import (
    MAX_PARTITION_FETCH_BYTES,
    METADATA_MAX_AGE_MS,
    SESSION_TIMEOUT_MS,
)

log = logging.getLogger(__name__)

# librdkafka prefetches up to 64 MiB per consumer by default; the bench takes 100 at a time
QUEUED_MAX_KBYTES = 4096
DELIVERY_POLL_SECONDS = 0.1
FLUSH_TIMEOUT_SECONDS = 30.0


class Record(NamedTuple):
    """A consumed record, with the fields of aiokafka's ConsumerRecord the prober reads."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    timestamp: int


def consumer_config(bootstrap: str, client_id: str, group_id: str) -> dict[str, Any]:
    """`build_consumer`'s settings in librdkafka's names (PLAINTEXT: the local broker)."""
    return {
        "bootstrap.servers": bootstrap,
        "client.id": client_id,
        "group.id": group_id,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
        "session.timeout.ms": SESSION_TIMEOUT_MS,
        "heartbeat.interval.ms": SESSION_TIMEOUT_MS // 5,
        "max.partition.fetch.bytes": MAX_PARTITION_FETCH_BYTES,
        "queued.max.messages.kbytes": QUEUED_MAX_KBYTES,
        "topic.metadata.refresh.interval.ms": METADATA_MAX_AGE_MS,
    }


def producer_config(bootstrap: str, client_id: str) -> dict[str, Any]:
    """`build_producer`'s settings in librdkafka's names."""
    return {
        "bootstrap.servers": bootstrap,
        "client.id": client_id,
        "acks": "all",
        "enable.idempotence": True,
        "linger.ms": 5,
        "batch.size": 256 * 1024,
    }


class RdProducer:
    """`send` returns a future that resolves once the broker has the record durably."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._producer = confluent_kafka.Producer(config)
        self._reports: list[tuple[asyncio.Future[None], Any]] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="rdkafka-delivery", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def build(cls, bootstrap: str, client_id: str) -> RdProducer:
        return cls(producer_config(bootstrap, client_id))

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._thread.start()

    async def stop(self) -> None:
        self._stopping.set()
        await asyncio.to_thread(self._thread.join)

    async def send(
        self, topic: str, value: bytes | None = None, key: bytes | None = None
    ) -> asyncio.Future[None]:
        assert self._loop is not None, "start() first"
        future: asyncio.Future[None] = self._loop.create_future()
        self._producer.produce(
            topic, value, key, on_delivery=functools.partial(self._delivered, future)
        )
        return future

    def _delivered(self, future: asyncio.Future[None], error: Any, _message: Any) -> None:
        # on the poller thread, inside poll(): collected, handed over once poll returns
        self._reports.append((future, error))

    def _serve(self) -> None:
        while not self._stopping.is_set():
            self._producer.poll(DELIVERY_POLL_SECONDS)
            self._hand_over()
        self._producer.flush(FLUSH_TIMEOUT_SECONDS)
        self._hand_over()

    def _hand_over(self) -> None:
        if self._reports and self._loop is not None:
            reports, self._reports = self._reports, []
            self._loop.call_soon_threadsafe(_resolve, reports)


def _resolve(reports: list[tuple[asyncio.Future[None], Any]]) -> None:
    for future, error in reports:
        if future.done():
            continue
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(confluent_kafka.KafkaException(error))


class RdConsumer:
    """A group consumer; consume and close run on the consumer's own thread."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._consumer = confluent_kafka.Consumer(config)
        self._thread = concurrent.futures.ThreadPoolExecutor(1, "rdkafka-consumer")

    @classmethod
    def build(cls, bootstrap: str, client_id: str, *, group_id: str) -> RdConsumer:
        return cls(consumer_config(bootstrap, client_id, group_id))

    def subscribe(self, topics: list[str]) -> None:
        self._consumer.subscribe(topics)

    async def start(self) -> None:
        """librdkafka joins the group in the background (aiokafka's `start` waits for it)."""

    async def stop(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._thread, self._consumer.close)
        self._thread.shutdown(wait=False)

    async def getmany(
        self, timeout_ms: int = 0, max_records: int = 500
    ) -> dict[TopicPartition, list[Record]]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, self._fetch, max_records, timeout_ms)

    def _fetch(self, max_records: int, timeout_ms: int) -> dict[TopicPartition, list[Record]]:
        batch: dict[TopicPartition, list[Record]] = {}
        for message in self._consumer.consume(max_records, timeout_ms / 1000):
            if (error := message.error()) is not None:
                log.warning("consumer error", extra={"error": str(error)})
                continue
            # a message without an error has all three
            topic, partition, offset = message.topic(), message.partition(), message.offset()
            assert topic is not None and partition is not None and offset is not None
            record = Record(
                topic,
                partition,
                offset,
                message.key(),
                message.value(),
                message.timestamp()[1],
            )
            batch.setdefault(TopicPartition(topic, partition), []).append(record)
        return batch

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        """Synchronous commit of the next offset to read per partition (raises on failure);
        not on the consumer's thread, where it would wait behind a fetch."""
        commits = [
            confluent_kafka.TopicPartition(tp.topic, tp.partition, offset)
            for tp, offset in offsets.items()
        ]
        await asyncio.to_thread(self._consumer.commit, offsets=commits, asynchronous=False)
