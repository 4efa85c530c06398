"""Scheduler benchmark: N monitors at one interval through the real broker (not a test).

    uv run python bench/scheduler/run.py [--monitors 100000] [--interval 60] [--duration 180]

Registers the monitors on a fresh topic namespace, starts `pulsecheck-scheduler` as a child
process, reads every CheckRequested back (read_committed, as a prober would) and prints:
dispatch drift (commit visible to a reader, and record timestamp, minus scheduled_for)
p50/p99/max, requests/s sustained, the scheduler's peak RSS and CPU, and the duplicate and
missing request ids of every slot inside the measured window.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition

from pulsecheck.scheduler.offsets import stable_offset_ms
from pulsecheck.shared.events import MonitorRegistered, new_envelope, request_id_for
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.child_process_usage import cpu_seconds, peak_rss_mb
from pulsecheck.testing.ports import free_port
from pulsecheck.testing.waiting import wait_until


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def percentile(sorted_values: list[int], fraction: float) -> int:
    if not sorted_values:
        return 0
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


class Observed:
    """Every request read back: id counts, and (scheduled, visible, record timestamp)."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.timings: list[tuple[int, int, int]] = []


async def read_requests(bootstrap: str, topic: str, partitions: int, seen: Observed) -> None:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        isolation_level="read_committed",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=50,
        max_partition_fetch_bytes=4 * 1024 * 1024,
    )
    await consumer.start()
    consumer.assign([TopicPartition(topic, p) for p in range(partitions)])
    try:
        while True:
            batches = await consumer.getmany(timeout_ms=100, max_records=20_000)
            visible = now_ms()
            for records in batches.values():
                for record in records:
                    data = json.loads(record.value)["data"]
                    scheduled = datetime.fromisoformat(data["scheduled_for"])
                    seen.ids[data["request_id"]] += 1
                    seen.timings.append(
                        (round(scheduled.timestamp() * 1000), visible, record.timestamp)
                    )
    finally:
        await consumer.stop()


async def register(bootstrap: str, topics: Topics, count: int, interval: int) -> list[str]:
    producer = EventProducer.connect(bootstrap, "bench-register")
    await producer.start()
    ids = [f"bench-{i:07d}" for i in range(count)]
    try:
        for start in range(0, count, 5_000):
            await producer.publish_many(
                topics.monitors,
                (
                    new_envelope(
                        MonitorRegistered(
                            monitor_id=monitor_id,
                            account_id=f"acct-{i % 1000}",
                            name=monitor_id,
                            url=f"https://{monitor_id}.example.test/health",
                            check_kinds=["http"],
                            interval_seconds=interval,
                        ),
                        source="bench",
                        subject=monitor_id,
                    )
                    for i, monitor_id in enumerate(ids[start : start + 5_000], start)
                ),
            )
    finally:
        await producer.stop()
    return ids


def spawn_scheduler(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-c", "from pulsecheck.scheduler.main import main; main()"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def healthz(port: int) -> dict[str, object]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
        body: dict[str, object] = json.loads(response.read())
        return body


async def wait_until_scheduling(port: int, partitions: int, child: subprocess.Popen[bytes]) -> None:
    def scheduling_every_partition() -> bool:
        if child.poll() is not None:
            raise SystemExit("the scheduler exited during startup")
        try:
            return len(healthz(port).get("scheduling_partitions", [])) == partitions  # type: ignore[arg-type]
        except OSError:
            return False

    await wait_until(
        scheduling_every_partition, within=300, what="the scheduler to schedule", interval=0.2
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--monitors", type=int, default=100_000)
    parser.add_argument("--interval", type=int, default=60)
    parser.add_argument("--duration", type=int, default=180)
    parser.add_argument("--partitions", type=int, default=12)
    args = parser.parse_args()
    bootstrap = os.environ.get("PULSECHECK_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    topics = Topics(prefix=f"bench{uuid.uuid4().hex[:8]}.")
    await ensure_topics(bootstrap, topics.specs(), partitions=args.partitions)

    began = time.monotonic()
    monitor_ids = await register(bootstrap, topics, args.monitors, args.interval)
    print(f"registered {len(monitor_ids):,} monitors in {time.monotonic() - began:.1f} s")

    port = free_port()
    log_path = Path(f"/tmp/{topics.prefix}scheduler.log")
    env = os.environ | {
        "PULSECHECK_KAFKA_BOOTSTRAP": bootstrap,
        "PULSECHECK_TOPIC_PREFIX": topics.prefix,
        "PULSECHECK_HEALTH_HOST": "127.0.0.1",
        "PULSECHECK_HEALTH_PORT": str(port),
        "PULSECHECK_LOG_LEVEL": "INFO",
    }
    seen = Observed()
    reader = asyncio.create_task(
        read_requests(bootstrap, topics.checks_requested, args.partitions, seen)
    )
    child = spawn_scheduler(env, log_path)
    try:
        started = time.monotonic()
        await wait_until_scheduling(port, args.partitions, child)
        print(f"scheduler loaded and scheduling after {time.monotonic() - started:.1f} s")
        window_start = now_ms() + 2_000
        window_end = window_start + args.duration * 1000
        cpu_at_start = cpu_seconds(child.pid)
        cpu_samples: list[float] = []
        previous = cpu_at_start
        while now_ms() < window_end:
            await asyncio.sleep(1)
            current = cpu_seconds(child.pid)
            cpu_samples.append((current - previous) * 100)
            previous = current
        cpu_total = cpu_seconds(child.pid) - cpu_at_start
        peak_rss = peak_rss_mb(child.pid)
        await asyncio.sleep(3)  # let the last slots of the window become visible
    finally:
        child.send_signal(signal.SIGTERM)
        stopped = child.wait(timeout=30)
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)

    report(args, monitor_ids, seen, window_start, window_end, cpu_total, cpu_samples, peak_rss)
    print(f"scheduler exit code after SIGTERM: {stopped}; log: {log_path}")


def report(
    args: argparse.Namespace,
    monitor_ids: list[str],
    seen: Observed,
    window_start: int,
    window_end: int,
    cpu_total: float,
    cpu_samples: list[float],
    peak_rss: float,
) -> None:
    interval_ms = args.interval * 1000
    expected: list[str] = []
    for monitor_id in monitor_ids:
        offset = stable_offset_ms(monitor_id, interval_ms)
        slot = ((window_start - offset) // interval_ms + 1) * interval_ms + offset
        while slot <= window_end:
            moment = datetime.fromtimestamp(slot / 1000, UTC)
            expected.append(request_id_for(monitor_id, "http", moment))
            slot += interval_ms
    missing = sum(1 for request_id in expected if request_id not in seen.ids)
    duplicates = sum(1 for count in seen.ids.values() if count > 1)
    inside = [t for t in seen.timings if window_start < t[0] <= window_end]
    visible_drift = sorted(visible - scheduled for scheduled, visible, _ in inside)
    stamped_drift = sorted(stamp - scheduled for scheduled, _, stamp in inside)
    seconds = (window_end - window_start) / 1000
    print(
        f"\n=== {len(monitor_ids):,} monitors every {args.interval} s, {seconds:.0f} s window ==="
    )
    print(f"requests in window      {len(inside):,} ({len(inside) / seconds:,.0f}/s sustained)")
    print(
        f"expected slots          {len(expected):,}; missing {missing}; duplicate ids {duplicates}"
    )
    for name, drift in (
        ("visible - scheduled", visible_drift),
        ("stamp - scheduled", stamped_drift),
    ):
        print(
            f"drift {name:20s} p50 {percentile(drift, 0.5)} ms  p99 {percentile(drift, 0.99)} ms"
            f"  max {drift[-1] if drift else 0} ms"
        )
    print(f"scheduler peak RSS      {peak_rss:.0f} MB")
    print(
        f"scheduler CPU           {cpu_total / seconds * 100:.1f}% of one core on average,"
        f" {max(cpu_samples, default=0):.0f}% peak second"
    )


if __name__ == "__main__":
    asyncio.run(main())
