"""Heartbeats through the real broker: pings judged, silence reported once, across a restart
and a second replica started while a deadline is pending."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from aiokafka import ConsumerRecord

from pulsecheck.shared.events import CheckCompleted, HeartbeatPinged, decode, new_envelope
from pulsecheck.shared.events.heartbeats import PingSignal
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import reading_in_background
from pulsecheck.testing.waiting import wait_until

pytestmark = pytest.mark.kafka


@dataclass
class Results:
    """Every heartbeat CheckCompleted a read_committed reader sees, in order."""

    seen: list[CheckCompleted] = field(default_factory=list)

    def signals(self, monitor_id: str) -> list[str]:
        return [r.heartbeat.signal for r in self.seen if r.monitor_id == monitor_id and r.heartbeat]

    async def until(self, monitor_id: str, signals: list[str], within: float = 30.0) -> None:
        await wait_until(
            lambda: (
                self.signals(monitor_id) == signals
                or AssertionError(f"{monitor_id}: {self.signals(monitor_id)}") is None
            ),
            within=within,
            what=f"{monitor_id} results {signals}",
        )


@pytest.fixture
async def results(kafka_bootstrap: str, topics: Topics) -> AsyncIterator[Results]:
    seen = Results()

    def collect(records: list[ConsumerRecord]) -> None:
        for record in records:
            envelope = decode(record.value)
            assert not hasattr(envelope, "reason"), envelope
            if isinstance(envelope.data, CheckCompleted):  # type: ignore[union-attr]
                seen.seen.append(envelope.data)  # type: ignore[union-attr]

    async with reading_in_background(kafka_bootstrap, topics.checks_completed, collect):
        yield seen


@dataclass
class Pinger:
    """Publishes pings the way the API's ping route does."""

    producer: EventProducer
    topic: str

    async def ping(self, monitor_id: str, signal: PingSignal = "success", **fields: object) -> None:
        ping = HeartbeatPinged.model_validate(
            {
                "ping_id": str(uuid.uuid4()),
                "monitor_id": monitor_id,
                "account_id": "acct-1",
                "signal": signal,
                "pinged_at": datetime.now(UTC),
                **fields,
            }
        )
        envelope = new_envelope(ping, source="tests/ping", subject=monitor_id)
        await self.producer.publish(self.topic, envelope)


@pytest.fixture
async def pinger(kafka_bootstrap: str, topics: Topics) -> AsyncIterator[Pinger]:
    producer = EventProducer.connect(kafka_bootstrap, "heartbeat-tests")
    await producer.start()
    try:
        yield Pinger(producer, topics.heartbeats)
    finally:
        await producer.stop()


def heartbeat(period: int, grace: int, **options: object) -> dict[str, object]:
    return {
        "url": f"heartbeat://job-{uuid.uuid4().hex[:8]}",
        "check_kinds": ["heartbeat"],
        "heartbeat": {"period_seconds": period, "grace_seconds": grace, **options},
    }


async def test_pings_failures_and_silence_are_judged(
    monitors: object, pinger: Pinger, results: Results, start_scheduler: object,
    until_scheduling: object,
) -> None:  # fmt: skip
    scheduler = await start_scheduler()  # type: ignore[operator]
    await until_scheduling(scheduler)  # type: ignore[operator]
    await monitors.register("hb-a", **heartbeat(1, 1, max_run_seconds=1))  # type: ignore[attr-defined]
    await monitors.register("hb-never", **heartbeat(1, 0))  # type: ignore[attr-defined]

    await pinger.ping("hb-a", body="ok")
    await results.until("hb-a", ["success"])
    # no ping within 1 s + 1 s grace: one failure, and only one while the silence lasts
    await results.until("hb-a", ["success", "missed"])
    await pinger.ping("hb-a", "start")
    await results.until("hb-a", ["success", "missed", "run_too_long"])
    await pinger.ping("hb-a", "start")
    await pinger.ping("hb-a", exit_code=3)
    await results.until("hb-a", ["success", "missed", "run_too_long", "fail"])

    failed = [r for r in results.seen if r.monitor_id == "hb-a"]
    assert [r.outcome for r in failed] == ["up", "down", "down", "down"]
    assert failed[0].heartbeat is not None and failed[0].heartbeat.body == "ok"
    assert (
        failed[1].error is not None and "no ping within 1 s + 1 s grace" in failed[1].error.message
    )
    ended = failed[3].heartbeat
    assert ended is not None and ended.exit_code == 3 and ended.run_ms is not None
    # a job that never pinged is not late
    assert results.signals("hb-never") == []


async def test_restart_and_second_replica_report_a_pending_deadline_once(
    monitors: object, pinger: Pinger, results: Results, start_scheduler: object,
    until_scheduling: object,
) -> None:  # fmt: skip
    first = await start_scheduler()  # type: ignore[operator]
    await until_scheduling(first)  # type: ignore[operator]
    await monitors.register("hb-b", **heartbeat(3, 1))  # type: ignore[attr-defined]
    await pinger.ping("hb-b")
    await results.until("hb-b", ["success"])

    # the deadline (4 s after the ping) is pending: restart, and a second replica joins
    await first.stop()
    second = await start_scheduler()  # type: ignore[operator]
    third = await start_scheduler()  # type: ignore[operator]
    await until_scheduling(second, third)  # type: ignore[operator]
    await results.until("hb-b", ["success", "missed"])

    # restarted again after the report: the new owner must not report it a second time
    await second.stop()
    await third.stop()
    fourth = await start_scheduler()  # type: ignore[operator]
    await until_scheduling(fourth)  # type: ignore[operator]
    await pinger.ping("hb-b")
    # the owner judges pings and silences in one tick: a repeat would precede the recovery
    await results.until("hb-b", ["success", "missed", "success"])
