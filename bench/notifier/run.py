"""Notifier benchmark: results/s when nothing alerts, and alert latency to the stand-in.

Run: `. .local/infra.env && uv run python -m bench.notifier.run [--results 150000]`
Starts a real notifier process against the local Kafka, a Twilio stand-in on 127.0.0.1,
and prints figures. Targets: >= 10,000 results/s per process; alert p99 <= 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from bench.notifier.environment import notifier_env
from pulsecheck.shared.events import encode, new_envelope
from pulsecheck.shared.events.monitors import MonitorRegistered
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.alerts import channel
from pulsecheck.testing.notifier_process import NotifierProcess
from pulsecheck.testing.results import uptime_result
from pulsecheck.testing.standins.twilio import twilio_standin
from pulsecheck.testing.waiting import wait_until


async def bench(results: int, monitors: int, alerts: int) -> None:
    bootstrap = os.environ.get("PULSECHECK_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    topics = Topics(prefix=f"bench{uuid.uuid4().hex[:8]}.")
    await ensure_topics(bootstrap, topics.specs(), partitions=3)
    producer = EventProducer.connect(bootstrap, "notifier-bench")
    await producer.start()
    raw = producer.raw
    with twilio_standin() as twilio, tempfile.TemporaryDirectory() as tmp:
        sms = channel("sms", "+15557654321", channel_id="ch-sms")
        await producer.publish(topics.channels, new_envelope(sms, source="b", subject="ch-sms"))
        env = notifier_env(bootstrap, topics, twilio.url)
        # the monitors are registered, as they are in a running system
        for i in range(monitors):
            spec = MonitorRegistered(
                monitor_id=f"m{i}", account_id="acct-1", name=f"m{i}", url="https://x.test/"
            )
            await raw.send(
                topics.monitors,
                encode(new_envelope(spec, source="b", subject=f"m{i}")),
                key=f"m{i}".encode(),
            )
        # throughput: a backlog of steady "up" results, written before the notifier starts so
        # the figure is the notifier's drain rate, not this script's producing rate
        payloads = [
            (
                f"m{i % monitors}",
                encode(
                    new_envelope(
                        uptime_result(f"m{i % monitors}", i // monitors, "up"),
                        source="bench",
                        subject=f"m{i % monitors}",
                    )
                ),
            )
            for i in range(results)
        ]
        for key, value in payloads:
            await raw.send(topics.checks_completed, value, key=key.encode())
        await raw.flush()
        notifier = NotifierProcess(env, Path(tmp) / "notifier.log").start()
        counter = "pulsecheck_notifier_results_total"
        try:
            await wait_until(lambda: notifier.counter(counter) >= 1, within=60, what="first")
            started = time.monotonic()
            first = notifier.counter(counter)
            await wait_until(lambda: notifier.counter(counter) >= results, within=300, what="all")
            elapsed = time.monotonic() - started
            rate = (results - first) / elapsed
            print(f"steady results processed: {results} in {elapsed:.2f}s -> {rate:,.0f} results/s")

            # latency: the confirming (third) failure of a fresh monitor -> the SMS at the stand-in
            latencies = []
            for n in range(alerts):
                monitor = f"lat{n}"
                spec = MonitorRegistered(
                    monitor_id=monitor, account_id="acct-1", name=monitor, url="https://x.test/"
                )
                await producer.publish(
                    topics.monitors, new_envelope(spec, source="b", subject=monitor)
                )
                for step in range(2):
                    await producer.publish(
                        topics.checks_completed,
                        new_envelope(
                            uptime_result(monitor, step, "down"), source="b", subject=monitor
                        ),
                    )
                before = len(twilio.received)
                confirming = uptime_result(monitor, 2, "down")
                sent_at = time.monotonic()
                await producer.publish(
                    topics.checks_completed, new_envelope(confirming, source="b", subject=monitor)
                )
                await wait_until(lambda b=before: len(twilio.received) > b, within=30, what="sms")
                latencies.append(twilio.received[before].at - sent_at)
            latencies.sort()
            p50 = statistics.median(latencies)
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
            print(
                f"alert latency over {alerts} alerts: p50 {p50 * 1000:.0f} ms, "
                f"p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
            )
        finally:
            notifier.stop()
            await producer.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=int, default=150_000)
    parser.add_argument("--monitors", type=int, default=2_000)
    parser.add_argument("--alerts", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(bench(args.results, args.monitors, args.alerts))


if __name__ == "__main__":
    main()
