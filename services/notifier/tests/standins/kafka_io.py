"""Publishing events into a test's topics and reading back what the notifier wrote."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer

from pulsecheck.shared.events import DecodeError, Envelope, decode


async def read_all(bootstrap: str, topic: str, *, idle_seconds: float = 0.3) -> list[Envelope]:
    """Every decodable event on `topic` from the beginning, up to the current end."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    events: list[Envelope] = []
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=int(idle_seconds * 1000), max_records=5000)
            if not batch:
                return events
            for records in batch.values():
                for record in records:
                    decoded = decode(record.value)
                    if not isinstance(decoded, DecodeError):
                        events.append(decoded)
    finally:
        await consumer.stop()


async def wait_until(
    condition: Callable[[], bool], *, within: float = 30.0, what: str = "condition"
) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
