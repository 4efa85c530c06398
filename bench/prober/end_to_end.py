"""End-to-end through Kafka: N requests pre-loaded, a `pulsecheck-prober` process pinned to one
core consumes them and publishes results; this measures how fast results come out.

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiokafka import AIOKafkaConsumer

from pulsecheck.shared.events import (
    CheckCompleted,
    CheckRequested,
    CheckSkipped,
    decode,
    new_envelope,
)
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.child_process_usage import cpu_seconds, peak_rss_mb


async def preload(bootstrap: str, topics: Topics, url: str, checks: int) -> None:
    now = datetime.now(UTC)
    producer = EventProducer.connect(bootstrap, "bench-loader")
    await producer.start()
    try:
        for start in range(0, checks, 5000):
            envelopes = [
                new_envelope(
                    CheckRequested(
                        request_id=f"bench-{i}",
                        monitor_id=f"monitor-{i % 5000}",
                        account_id="bench",
                        kind="http",
                        target=url,
                        timeout_seconds=30,
                        scheduled_for=now,
                        deadline=now + timedelta(hours=1),
                    ),
                    source="bench",
                    subject=f"monitor-{i % 5000}",
                )
                for i in range(start, min(start + 5000, checks))
            ]
            await producer.publish_many(topics.checks_requested, envelopes)
    finally:
        await producer.stop()


async def collect(
    bootstrap: str, topics: Topics, checks: int, within: float, pid: int
) -> tuple[list[tuple[float, float, str]], float]:
    """The results as they arrive, and the prober's CPU seconds once a tenth had arrived."""
    consumer = AIOKafkaConsumer(
        topics.checks_completed,
        bootstrap_servers=bootstrap,
        group_id=f"bench-reader-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
        fetch_max_bytes=16 * 1024 * 1024,
    )
    await consumer.start()
    arrivals: list[tuple[float, float, str]] = []
    cpu_at_tenth = 0.0
    try:
        async with asyncio.timeout(within):
            while len(arrivals) < checks:
                batch = await consumer.getmany(timeout_ms=200, max_records=10_000)
                now = time.perf_counter()
                if not cpu_at_tenth and len(arrivals) >= checks // 10:
                    cpu_at_tenth = cpu_seconds(pid)
                for records in batch.values():
                    for record in records:
                        event = decode(record.value)
                        data = getattr(event, "data", None)
                        if isinstance(data, CheckCompleted):
                            latency = data.uptime.latency_ms if data.uptime else 0.0
                            arrivals.append((now, latency, data.outcome))
                        elif isinstance(data, CheckSkipped):
                            # counted, so a run with skips ends instead of waiting for 600 s
                            arrivals.append((now, 0.0, "skipped"))
    finally:
        await consumer.stop()
    return arrivals, cpu_at_tenth


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--ca-file", type=Path, required=True)
    parser.add_argument("--checks", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=1000)
    parser.add_argument("--core", default="1")
    parser.add_argument("--uvloop", default="true")
    parser.add_argument(
        "--bootstrap", default=os.environ.get("PULSECHECK_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    )
    args = parser.parse_args()
    topics = Topics(prefix=f"bench{uuid.uuid4().hex[:8]}.")
    asyncio.run(ensure_topics(args.bootstrap, topics.specs(), partitions=12))
    asyncio.run(preload(args.bootstrap, topics, args.url, args.checks))
    env = os.environ | {
        "PULSECHECK_KAFKA_BOOTSTRAP": args.bootstrap,
        "PULSECHECK_TOPIC_PREFIX": topics.prefix,
        "PULSECHECK_REGION": "bench",
        "PULSECHECK_TARGET_ALLOW_LIST": "127.0.0.0/8",
        "PULSECHECK_EXTRA_CA_FILE": str(args.ca_file),
        "PULSECHECK_PROBER_CONCURRENCY": str(args.concurrency),
        # one account and one host here: the fair-share caps (25 % of the slots per account,
        # 100 per host) would skip most requests, as they must for one tenant of many
        "PULSECHECK_PROBER_ACCOUNT_SHARE": "1.0",
        "PULSECHECK_PROBER_HOST_CONCURRENCY": str(args.concurrency),
        "PULSECHECK_HEALTH_HOST": "127.0.0.1",
        "PULSECHECK_HEALTH_PORT": "0",
        "PULSECHECK_LOG_LEVEL": "WARNING",
        "PULSECHECK_USE_UVLOOP": args.uvloop,
    }
    command = [
        "taskset",
        "-c",
        args.core,
        sys.executable,
        "-c",
        "from pulsecheck.prober.main import main; main()",
    ]
    prober = subprocess.Popen(command, env=env)
    try:
        started = time.perf_counter()
        arrivals, cpu_at_tenth = asyncio.run(
            collect(args.bootstrap, topics, args.checks, within=600, pid=prober.pid)
        )
        cpu = cpu_seconds(prober.pid)
        rss = peak_rss_mb(prober.pid)
    finally:
        prober.terminate()
        prober.wait(timeout=60)
    # steady state: from the 10th to the last percentile of results (group join excluded)
    first, last = arrivals[len(arrivals) // 10][0], arrivals[-1][0]
    steady = (len(arrivals) - len(arrivals) // 10) / (last - first)
    latencies = sorted(a[1] for a in arrivals)
    outcomes: dict[str, int] = {}
    for _, _, outcome in arrivals:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print(
        json.dumps(
            {
                "url": args.url,
                "concurrency": args.concurrency,
                "uvloop": args.uvloop,
                "checks": len(arrivals),
                "checks_per_s_steady": round(steady, 1),
                "checks_per_s_including_startup": round(len(arrivals) / (last - started), 1),
                "cpu_s_per_1000": round(cpu / len(arrivals) * 1000, 3),
                # start-up (imports, group join) excluded: the figure a long-running prober has
                "cpu_ms_per_check_steady": round(
                    (cpu - cpu_at_tenth) / (len(arrivals) - len(arrivals) // 10) * 1000, 3
                ),
                "load_average_1m": round(os.getloadavg()[0], 2),
                "check_latency_p50_ms": round(latencies[len(latencies) // 2], 2),
                "check_latency_p99_ms": round(latencies[int(len(latencies) * 0.99)], 2),
                "peak_rss_mb": round(rss, 1),
                "outcomes": outcomes,
            }
        )
    )


if __name__ == "__main__":
    main()
