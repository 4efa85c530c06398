"""Pings are answered once queued; after a failed delivery each waits for its ack again."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import CollectorRegistry, Counter

from pulsecheck.query_api.api.errors import ApiError
from pulsecheck.query_api.ping_delivery import PingDelivery


class HeldProducer:
    """Stands in for AIOKafkaProducer: every send queues, the test settles the acks."""

    def __init__(self) -> None:
        self.acks: list[asyncio.Future[object]] = []

    @property
    def raw(self) -> HeldProducer:
        return self

    async def send(self, topic: str, value: bytes, key: bytes) -> asyncio.Future[object]:
        self.acks.append(asyncio.get_running_loop().create_future())
        return self.acks[-1]


def _delivery(
    producer: HeldProducer, max_unconfirmed: int = 10
) -> tuple[PingDelivery, CollectorRegistry]:
    registry = CollectorRegistry()
    failures = Counter("failures", "undelivered pings", registry=registry)
    delivery = PingDelivery(producer, 0.2, failures, max_unconfirmed)  # type: ignore[arg-type]
    return delivery, registry


def _failures(registry: CollectorRegistry) -> float | None:
    return registry.get_sample_value("failures_total")


async def test_a_ping_is_answered_before_its_ack_while_the_broker_confirms() -> None:
    producer = HeldProducer()
    delivery, registry = _delivery(producer)
    await delivery.deliver("t", b"ping", "m")
    assert not producer.acks[0].done()
    producer.acks[0].set_result("metadata")
    await asyncio.sleep(0)  # the done callback runs on the next loop turn
    assert not delivery.waits_for_acks and _failures(registry) == 0


async def test_after_a_failed_delivery_pings_wait_for_their_ack_until_one_succeeds() -> None:
    producer = HeldProducer()
    delivery, registry = _delivery(producer)
    await delivery.deliver("t", b"ping", "m")
    producer.acks[0].set_exception(ConnectionError("broker gone"))
    await asyncio.sleep(0)
    assert delivery.waits_for_acks and _failures(registry) == 1
    # not confirmed within the timeout: a 503 the job can retry
    with pytest.raises(ApiError) as unconfirmed:
        await delivery.deliver("t", b"ping", "m")
    assert unconfirmed.value.status == 503
    waiting = asyncio.create_task(delivery.deliver("t", b"ping", "m"))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    producer.acks[2].set_result("metadata")
    await waiting
    assert not delivery.waits_for_acks


async def test_too_many_unconfirmed_pings_make_the_next_wait() -> None:
    producer = HeldProducer()
    delivery, _ = _delivery(producer, max_unconfirmed=2)
    await delivery.deliver("t", b"1", "m")
    await delivery.deliver("t", b"2", "m")
    third = asyncio.create_task(delivery.deliver("t", b"3", "m"))
    await asyncio.sleep(0.01)
    assert not third.done()
    for ack in producer.acks:
        ack.set_result("metadata")
    await third
