"""An idempotent, acks=all producer of PulseCheck events, keyed by monitor id."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner, murmur2

from pulsecheck.shared.events.envelope import Envelope, encode
from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity

# aiokafka's murmur2 is pure Python (3-8 us a key); keys are monitor ids, the same ones again
# every interval. Bounded: ~150 bytes an entry
_key_hash = lru_cache(maxsize=32_768)(murmur2)


def partition_for(key: bytes | None, all_partitions: list[int], available: list[int]) -> Any:
    """aiokafka's DefaultPartitioner (the Java client's murmur2 placement), the hash cached."""
    if key is None:
        return DefaultPartitioner()(key, all_partitions, available)
    return all_partitions[(_key_hash(key) & 0x7FFFFFFF) % len(all_partitions)]


def build_producer(
    bootstrap: str,
    client_id: str,
    *,
    linger_ms: int = 5,
    security: KafkaSecurity = PLAINTEXT,
) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=linger_ms,
        max_batch_size=256 * 1024,
        partitioner=partition_for,
        **security.client_kwargs(),
    )


class EventProducer:
    """Publishes envelopes; `publish` returns once the broker has the record durably."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer

    @classmethod
    def connect(
        cls, bootstrap: str, client_id: str, security: KafkaSecurity = PLAINTEXT
    ) -> EventProducer:
        return cls(build_producer(bootstrap, client_id, security=security))

    @property
    def raw(self) -> AIOKafkaProducer:
        return self._producer

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def publish(self, topic: str, envelope: Envelope, key: str | None = None) -> None:
        await self._producer.send_and_wait(
            topic, encode(envelope), key=(key or envelope.subject).encode()
        )

    async def publish_many(self, topic: str, envelopes: Iterable[Envelope]) -> None:
        """Queue all, then wait for every delivery: batching without losing the durability check."""
        futures = [
            await self._producer.send(topic, encode(env), key=env.subject.encode())
            for env in envelopes
        ]
        if futures:
            await asyncio.gather(*futures)

    async def tombstone(self, topic: str, key: str) -> None:
        await self._producer.send_and_wait(topic, None, key=key.encode())
