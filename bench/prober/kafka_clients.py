"""A/B of the prober's Kafka half alone, aiokafka vs librdkafka (confluent-kafka): consume N
requests, produce N results, commit.

    uv run --frozen python -m bench.prober.kafka_clients [--records N] [--rounds 3] [--hold-ms 30]

No check runs: each consumed request gets a task (as in the prober) that holds its slot for
`--hold-ms` (a check's latency, so results leave spread out as the prober's do; 0 answers at
once, in bursts), then sends a real-sized `CheckCompleted` envelope (acks=all, idempotent) and
waits for the acknowledgement; 100 in flight (the prober's c=100); offsets are committed every
second, only up to what was acknowledged. Each run is a fresh process pinned to core 1, on a
fresh consumer group over the same pre-loaded topic (12 partitions); clients alternate run by
run. Prints one JSON line per run and the medians: CPU-µs per record is the process CPU time
(every thread, librdkafka's included) from the 10th percentile of records to the last
acknowledgement, divided by those records; `cpu_s_by_thread` splits the whole run by thread.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.check_events import EventFactory
from pulsecheck.testing.child_process_usage import CLOCK_TICKS

IN_FLIGHT = 100
COMMIT_INTERVAL_SECONDS = 1.0
CLIENTS = ("aiokafka", "confluent")


def result_value() -> bytes:
    from pulsecheck.shared.events import encode

    return encode(EventFactory().uptime("monitor-00001", "bench", 1))


def cpu_by_thread() -> dict[str, float]:
    """CPU seconds of each of this process's threads so far, summed by thread name (librdkafka
    names its own: rdk:main, rdk:broker...; "main" is the event loop's)."""
    by_name: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        name = "main" if task.name == str(os.getpid()) else (task / "comm").read_text().strip()
        fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        by_name[name] = by_name.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return by_name


class Meter:
    """Counts acknowledged records; notes the CPU time when a tenth has been acknowledged."""

    def __init__(self, records: int) -> None:
        self.records = records
        self.acked = 0
        self.cpu_at_tenth = 0.0
        self.cpu_at_end = 0.0
        self.threads: dict[str, float] = {}
        self.done = asyncio.Event()

    def ack(self, _result: object = None) -> None:
        self.acked += 1
        if self.acked == self.records // 10:
            self.cpu_at_tenth = time.process_time()
        if self.acked == self.records:
            self.cpu_at_end = time.process_time()
            self.threads = cpu_by_thread()
            self.done.set()

    def cpu_us_per_record(self) -> float:
        steady = self.records - self.records // 10
        return (self.cpu_at_end - self.cpu_at_tenth) / steady * 1e6


async def drive(consumer: Any, producer: Any, topics: Topics, records: int, hold: float) -> Meter:
    """The same loop for both clients (they share aiokafka's API for what the prober uses): a
    task per record that holds its slot for `hold` seconds (a check's latency: results leave
    spread out, as the prober's do), then sends and waits for the acknowledgement."""
    value = result_value()
    meter = Meter(records)
    slots = asyncio.Semaphore(IN_FLIGHT)
    consumer.subscribe([topics.checks_requested])
    await producer.start()
    await consumer.start()
    loop = asyncio.get_running_loop()
    acked: dict[Any, int] = {}
    last_commit = loop.time()
    tasks: set[asyncio.Task[None]] = set()

    async def answer(tp: Any, record: Any) -> None:
        if hold:
            await asyncio.sleep(hold)
        await (await producer.send(topics.checks_completed, value, key=record.key))
        slots.release()
        acked[tp] = max(acked.get(tp, 0), record.offset + 1)
        meter.ack()

    try:
        while not meter.done.is_set():
            await slots.acquire()
            slots.release()
            batch = await consumer.getmany(timeout_ms=200, max_records=IN_FLIGHT)
            for tp, batch_records in batch.items():
                for record in batch_records:
                    await slots.acquire()
                    task = asyncio.create_task(answer(tp, record))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
            if loop.time() - last_commit >= COMMIT_INTERVAL_SECONDS:
                await consumer.commit(dict(acked))
                last_commit = loop.time()
        await consumer.commit(dict(acked))
    finally:
        await consumer.stop()
        await producer.stop()
    return meter


async def run(client: str, bootstrap: str, topics: Topics, records: int, hold: float) -> Meter:
    group = f"bench-ab-{uuid.uuid4().hex}"
    if client == "aiokafka":
        from pulsecheck.shared.kafka.consumer import build_consumer
        from pulsecheck.shared.kafka.producer import build_producer

        consumer: Any = build_consumer(bootstrap, group, group_id=group)
        producer: Any = build_producer(bootstrap, group)
    else:
        from bench.prober.rdkafka_clients import RdConsumer, RdProducer

        consumer = RdConsumer.build(bootstrap, group, group_id=group)
        producer = RdProducer.build(bootstrap, group)
    return await drive(consumer, producer, topics, records, hold)


def measure(client: str, bootstrap: str, prefix: str, records: int, hold_ms: float) -> None:
    import uvloop

    topics = Topics(prefix=prefix)
    started = time.perf_counter()
    meter = uvloop.run(run(client, bootstrap, topics, records, hold_ms / 1000))
    figures = {
        "client": client,
        "records": records,
        "hold_ms": hold_ms,
        "cpu_us_per_record": round(meter.cpu_us_per_record(), 1),
        # whole run, start-up included, read before the clients stopped (and their threads)
        "cpu_s_by_thread": {k: round(v, 2) for k, v in sorted(meter.threads.items())},
        "wall_s": round(time.perf_counter() - started, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(figures))


async def preload(bootstrap: str, topics: Topics, records: int) -> None:
    from bench.prober.end_to_end import preload as preload_requests

    await ensure_topics(bootstrap, topics.specs(), partitions=12)
    await preload_requests(bootstrap, topics, "http://127.0.0.1:18080/", records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=40_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--core", default="1")
    # ~the prober's check latency at c=100, ~3,000 checks/s; 0 answers each record at once
    parser.add_argument("--hold-ms", type=float, default=30.0)
    parser.add_argument("--measure", choices=CLIENTS, help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    parser.add_argument(
        "--bootstrap", default=os.environ.get("PULSECHECK_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    )
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.bootstrap, args.prefix, args.records, args.hold_ms)
        return
    topics = Topics(prefix=f"benchab{uuid.uuid4().hex[:8]}.")
    asyncio.run(preload(args.bootstrap, topics, args.records))
    runs: dict[str, list[float]] = {client: [] for client in CLIENTS}
    for _ in range(args.rounds):
        for client in CLIENTS:
            command = [
                "taskset",
                "-c",
                args.core,
                sys.executable,
                "-m",
                "bench.prober.kafka_clients",
            ]
            command += ["--measure", client, "--prefix", topics.prefix]
            command += ["--records", str(args.records), "--bootstrap", args.bootstrap]
            command += ["--hold-ms", str(args.hold_ms)]
            out = subprocess.run(command, check=True, capture_output=True, text=True, timeout=300)
            line = out.stdout.strip().splitlines()[-1]
            print(line, flush=True)
            runs[client].append(json.loads(line)["cpu_us_per_record"])
    medians = {client: round(statistics.median(v), 1) for client, v in runs.items()}
    print(json.dumps({"median_cpu_us_per_record": medians}))


if __name__ == "__main__":
    main()
