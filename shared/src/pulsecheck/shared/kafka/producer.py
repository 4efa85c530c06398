"""An idempotent, acks=all producer of PulseCheck events, keyed by monitor id."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer

from pulsecheck.shared.events.envelope import Envelope, encode
from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity


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
