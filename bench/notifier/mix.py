"""Notifier benchmark with the whole system's input: N monitors registered at once (as
bench/system registers them through the API: HTTP checks, one region, every channel of the
account), then a result for every monitor at its interval in real time, a few of them failing.

Run: `. .local/infra.env && uv run python -m bench.notifier.mix --monitors 30000 --interval 60`
Prints the notifier process's CPU-µs per registration and per result (per round: the first two
results of a new monitor change its state, later ones are steady), how far behind the paced
results it was, its idle CPU with N monitors held, and the rate at which it drains a backlog.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from aiokafka import AIOKafkaProducer

from bench.notifier.environment import notifier_env
from pulsecheck.shared.events import encode, new_envelope
from pulsecheck.shared.events.monitors import MonitorRegistered
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.alerts import channel
from pulsecheck.testing.child_process_usage import cpu_seconds
from pulsecheck.testing.notifier_process import NotifierProcess
from pulsecheck.testing.results import uptime_result
from pulsecheck.testing.standins.twilio import twilio_standin
from pulsecheck.testing.waiting import wait_until

RESULTS = "pulsecheck_notifier_results_total"
CONFIGURATION = "pulsecheck_notifier_configuration_events_total"
REGION = "local"  # the system's one prober region


def _registration(monitor_id: str, index: int, interval: int) -> bytes:
    spec = MonitorRegistered(
        monitor_id=monitor_id,
        account_id="acct-1",
        name=f"bench {index}",
        url=f"http://127.0.0.1:8080/m/{index}",
        check_kinds=["http"],
        interval_seconds=interval,
        timeout_seconds=5,
    )
    return encode(new_envelope(spec, source="bench", subject=monitor_id))


def _result(monitor_id: str, at: datetime, down: bool) -> bytes:
    result = uptime_result(monitor_id, 0, "down" if down else "up", region=REGION, start=at)
    return encode(new_envelope(result, source="bench", subject=monitor_id))


class Meter:
    """CPU seconds of the notifier process against one of its counters."""

    def __init__(self, notifier: NotifierProcess, counter: str) -> None:
        assert notifier.process is not None
        self._pid = notifier.process.pid
        self._notifier = notifier
        self._counter = counter
        self.cpu, self.count, self.at = self.read()

    def read(self) -> tuple[float, float, float]:
        return cpu_seconds(self._pid), self._notifier.counter(self._counter), time.monotonic()

    def lap(self) -> tuple[float, float, float]:
        """CPU seconds, records counted and wall seconds since the previous lap."""
        cpu, count, at = self.read()
        spent = (cpu - self.cpu, count - self.count, at - self.at)
        self.cpu, self.count, self.at = cpu, count, at
        return spent


def _per_record(label: str, spent: tuple[float, float, float]) -> str:
    cpu, count, wall = spent
    per = 1e6 * cpu / count if count else float("nan")
    return (
        f"{label:28s} {count:8.0f} records in {wall:6.1f} s, notifier {cpu:6.2f} CPU-s"
        f" -> {per:7.1f} CPU-µs per record"
    )


async def _paced_round(
    raw: AIOKafkaProducer, topic: str, ids: list[str], interval: int, failing: int
) -> None:
    """One result per monitor spread evenly over `interval` seconds, stamped when produced."""
    slots = max(1, interval * 10)
    per_slot = -(-len(ids) // slots)
    started = time.monotonic()
    for slot in range(slots):
        # pacing to a schedule: the next slot's instant is the event waited for
        await asyncio.sleep(max(0.0, started + slot * interval / slots - time.monotonic()))
        now = datetime.now(UTC)
        for index in range(slot * per_slot, min(len(ids), (slot + 1) * per_slot)):
            value = _result(ids[index], now, index < failing)
            await raw.send(topic, value, key=ids[index].encode())
    await raw.flush()


async def bench(monitors: int, interval: int, rounds: int, failing: int, backlog: int) -> None:
    bootstrap = os.environ.get("PULSECHECK_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    topics = Topics(prefix=f"bench{uuid.uuid4().hex[:8]}.")
    await ensure_topics(bootstrap, topics.specs(), partitions=3)
    producer = EventProducer.connect(bootstrap, "notifier-bench")
    await producer.start()
    raw = producer.raw
    ids = [uuid.uuid4().hex for _ in range(monitors)]
    with twilio_standin() as twilio, tempfile.TemporaryDirectory() as tmp:
        sms = channel("sms", "+15557654321", channel_id="ch-sms")
        await producer.publish(topics.channels, new_envelope(sms, source="b", subject="ch-sms"))
        env = notifier_env(bootstrap, topics, twilio.url)
        notifier = NotifierProcess(env, Path(tmp) / "notifier.log").start()
        assert notifier.process is not None
        print(f"notifier pid {notifier.process.pid}", flush=True)

        def reached(counter: str, target: float) -> Callable[[], bool]:
            return lambda: notifier.counter(counter) >= target

        try:
            await wait_until(reached(CONFIGURATION, 1), within=60, what="the channel")
            # the registration burst, as POST /websites:batch publishes it
            meter = Meter(notifier, CONFIGURATION)
            for index, monitor_id in enumerate(ids):
                value = _registration(monitor_id, index, interval)
                await raw.send(topics.monitors, value, key=monitor_id.encode())
            await raw.flush()
            await wait_until(reached(CONFIGURATION, 1 + monitors), within=600, what="registered")
            print(_per_record("registrations", meter.lap()), flush=True)

            results = Meter(notifier, RESULTS)
            produced = 0
            for number in range(rounds):
                await _paced_round(raw, topics.checks_completed, ids, interval, failing)
                produced += monitors
                behind = produced - notifier.counter(RESULTS)
                # each round's figure covers exactly its own results: the next waits for them
                ended = time.monotonic()
                await wait_until(reached(RESULTS, produced), within=600, what="results")
                late = time.monotonic() - ended
                print(
                    _per_record(f"results, round {number + 1}", results.lap())
                    + f"; {behind:.0f} behind at its end, caught up {late:.1f} s later",
                    flush=True,
                )
            print(f"alerts delivered: {len(twilio.received)} SMS ({failing} monitors failing)")

            # idle with N monitors held: what the timers cost while no record arrives
            idle = Meter(notifier, RESULTS)
            await asyncio.sleep(interval)
            cpu, _, wall = idle.lap()
            print(f"idle, {monitors} monitors held  {cpu:6.2f} CPU-s in {wall:.1f} s", flush=True)

            # a backlog of the same mix, drained: the rate at which the notifier keeps up
            now = datetime.now(UTC)
            for index in range(backlog):
                monitor_id = ids[index % monitors]
                value = _result(monitor_id, now.replace(microsecond=index % 1_000_000), False)
                await raw.send(topics.checks_completed, value, key=monitor_id.encode())
            await raw.flush()
            drain = Meter(notifier, RESULTS)
            await wait_until(reached(RESULTS, produced + backlog), within=600, what="backlog")
            cpu, count, wall = drain.lap()
            print(
                _per_record("backlog drained", (cpu, count, wall))
                + f", {count / wall:,.0f} results/s"
            )
        finally:
            notifier.stop()
            await producer.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monitors", type=int, default=30_000)
    parser.add_argument("--interval", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3, help="paced rounds of results")
    parser.add_argument("--failing", type=int, default=10, help="monitors whose target is down")
    parser.add_argument("--backlog", type=int, default=30_000, help="results drained at the end")
    args = parser.parse_args()
    asyncio.run(bench(args.monitors, args.interval, args.rounds, args.failing, args.backlog))


if __name__ == "__main__":
    main()
