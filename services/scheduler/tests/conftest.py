"""Real-broker fixtures of the scheduler tests: a monitor publisher, a log of every committed
CheckRequested, and a factory of in-process schedulers (stopped at the end of the test)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiokafka import ConsumerRecord

from pulsecheck.scheduler.main import wall_clock_ms
from pulsecheck.scheduler.service import Scheduler
from pulsecheck.scheduler.settings import SchedulerSettings
from pulsecheck.shared.events import (
    CheckRequested,
    DecodeError,
    MonitorRegistered,
    MonitorRemoved,
    MonitorUpdated,
    decode,
    new_envelope,
)
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import read_at_least, reading_in_background
from pulsecheck.testing.waiting import wait_until


@dataclass
class Received:
    request: CheckRequested
    received_ms: int
    partition: int

    @property
    def slot_ms(self) -> int:
        return round(self.request.scheduled_for.timestamp() * 1000)


@dataclass
class RequestLog:
    """Every CheckRequested visible to a read_committed reader, in arrival order."""

    received: list[Received] = field(default_factory=list)

    def of(self, monitor_id: str) -> list[Received]:
        return [r for r in self.received if r.request.monitor_id == monitor_id]

    def slots(self, monitor_id: str) -> list[int]:
        return [r.slot_ms for r in self.of(monitor_id)]

    def request_ids(self) -> list[str]:
        return [r.request.request_id for r in self.received]

    async def wait_for(
        self, condition: Callable[[], bool], within: float = 20.0, what: str = "condition"
    ) -> None:
        await wait_until(condition, within=within, what=what)


@pytest.fixture
async def requests(kafka_bootstrap: str, topics: Topics) -> AsyncIterator[RequestLog]:
    log = RequestLog()

    def collect(records: list[ConsumerRecord]) -> None:
        now = wall_clock_ms()
        for record in records:
            envelope = decode(record.value)
            request = None if isinstance(envelope, DecodeError) else envelope.data
            assert isinstance(request, CheckRequested), envelope
            log.received.append(Received(request, now, record.partition))

    async with reading_in_background(kafka_bootstrap, topics.checks_requested, collect):
        yield log


@dataclass
class MonitorDesk:
    """Publishes monitor events the way query-api does."""

    producer: EventProducer
    topic: str

    async def register(self, monitor_id: str, **fields: Any) -> MonitorRegistered:
        spec = MonitorRegistered.model_validate(_spec_fields(monitor_id) | fields)
        await self.producer.publish(self.topic, _envelope(spec, monitor_id))
        return spec

    async def register_unchecked(self, monitor_id: str, **fields: Any) -> None:
        """A registration as a producer could publish it before the contract had a rule."""
        valid = MonitorRegistered.model_validate(_spec_fields(monitor_id))
        await self.producer.publish(
            self.topic, _envelope(valid.model_copy(update=fields), monitor_id)
        )

    async def update(self, monitor_id: str, **fields: Any) -> MonitorUpdated:
        spec = MonitorUpdated.model_validate(_spec_fields(monitor_id) | fields)
        await self.producer.publish(self.topic, _envelope(spec, monitor_id))
        return spec

    async def remove(self, monitor_id: str) -> None:
        removed = MonitorRemoved(monitor_id=monitor_id, account_id="acct-1")
        await self.producer.publish(self.topic, _envelope(removed, monitor_id))

    async def tombstone(self, monitor_id: str) -> None:
        await self.producer.tombstone(self.topic, monitor_id)

    async def raw(self, key: bytes, value: bytes) -> None:
        await self.producer.raw.send_and_wait(self.topic, value, key=key)


def _spec_fields(monitor_id: str) -> dict[str, Any]:
    return {
        "monitor_id": monitor_id,
        "account_id": "acct-1",
        "name": monitor_id,
        "url": f"https://{monitor_id}.test/",
        "check_kinds": ["http"],
        "interval_seconds": 1,
    }


def _envelope(payload: Any, monitor_id: str) -> Any:
    return new_envelope(payload, source="tests/query-api", subject=monitor_id)


@pytest.fixture
async def monitors(kafka_bootstrap: str, topics: Topics) -> AsyncIterator[MonitorDesk]:
    producer = EventProducer.connect(kafka_bootstrap, "scheduler-tests")
    await producer.start()
    try:
        yield MonitorDesk(producer, topics.monitors)
    finally:
        await producer.stop()


SchedulerFactory = Callable[..., Awaitable[Scheduler]]


@pytest.fixture
async def start_scheduler(kafka_bootstrap: str, topics: Topics) -> AsyncIterator[SchedulerFactory]:
    running: list[Scheduler] = []

    async def start(**overrides: Any) -> Scheduler:
        settings = SchedulerSettings(
            kafka_bootstrap=kafka_bootstrap,
            topic_prefix=topics.prefix,
            min_interval_seconds=1,
            tick_ms=50,
            idle_checkpoint_seconds=1,
            session_timeout_ms=6_000,
            transaction_timeout_ms=5_000,
            health_host="127.0.0.1",
            health_port=0,
            **overrides,
        )
        scheduler = Scheduler(settings, wall_clock_ms)
        await scheduler.start()
        running.append(scheduler)
        return scheduler

    yield start
    for scheduler in running:
        if not scheduler.stopped:
            await scheduler.stop()


UntilScheduling = Callable[..., Awaitable[None]]


@pytest.fixture
def until_scheduling() -> UntilScheduling:
    return _wait_until_scheduling


async def _wait_until_scheduling(
    *schedulers: Scheduler, partitions: int = 3, within: float = 30.0
) -> None:
    """Until the schedulers together run a clock on every partition, each on exactly one."""

    def each_partition_once() -> bool:
        owned = [p for s in schedulers for p in s.status()[1]["scheduling_partitions"]]
        assert sorted(owned) == list(range(partitions)), f"partitions scheduled: {owned}"
        return True

    await wait_until(each_partition_once, within=within, what="a clock on every partition")


DeadLetterReader = Callable[[int], Awaitable[list[dict[str, Any]]]]


@pytest.fixture
def dead_letters(kafka_bootstrap: str, topics: Topics) -> DeadLetterReader:
    async def read(count: int, within: float = 20.0) -> list[dict[str, Any]]:
        records = await read_at_least(kafka_bootstrap, topics.deadletter, count, within=within)
        return [json.loads(record.value) for record in records]

    return read
