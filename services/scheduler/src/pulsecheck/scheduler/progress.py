"""The scheduler's checkpoint: per monitors-partition, the slot time emitted through, and the
monitors offset below which every refused record has been dead-lettered.

It lives in an internal compacted topic (`Topics.scheduler_progress`, created with the
others by `pulsecheck-topics`), one record per checkpoint, written to the same
partition number as the monitors partition it describes and in the same Kafka transaction as
the CheckRequested records it accounts for, so a checkpoint is visible exactly when its
requests are. It is read with `read_committed`, after the reader's transactional producer
fenced any previous owner, so what it reads is final.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition

from pulsecheck.shared.kafka.consumer import build_consumer
from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity

# the last records of a partition are a checkpoint and its commit marker; aborted transactions
# add a few more, so reading backwards in growing steps finds the last committed one quickly
_FIRST_LOOKBACK = 16
_READ_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Checkpoint:
    emitted_through_ms: int
    # the compacted monitors topic is re-read from 0 on every assignment: a refused record
    # below this offset was dead-lettered already and is not dead-lettered again
    refused_through: int = 0
    # the offset of the first ping on the heartbeats partition not judged yet (None: none was)
    pings_through: int | None = None


def encode_progress(
    partition: int,
    emitted_through_ms: int,
    owner: str,
    refused_through: int = 0,
    pings_through: int | None = None,
) -> tuple[bytes, bytes]:
    """Key and value of a checkpoint record."""
    value = {
        "partition": partition,
        "emitted_through_ms": emitted_through_ms,
        "refused_through": refused_through,
        "pings_through": pings_through,
        "owner": owner,
    }
    return str(partition).encode(), json.dumps(value, separators=(",", ":")).encode()


def decode_progress(value: bytes | None) -> Checkpoint | None:
    if value is None:
        return None
    try:
        document = json.loads(value)
        emitted_through = document["emitted_through_ms"]
        # checkpoints written before dead letters were recorded say nothing: 0
        refused_through = document.get("refused_through", 0)
        # checkpoints written before heartbeats judged no ping: None
        pings_through = document.get("pings_through")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(emitted_through, int) or not isinstance(refused_through, int):
        return None
    if pings_through is not None and not isinstance(pings_through, int):
        return None
    return Checkpoint(emitted_through, refused_through, pings_through)


async def read_progress(
    bootstrap: str,
    topic: str,
    partitions: Iterable[int],
    security: KafkaSecurity = PLAINTEXT,
) -> dict[int, Checkpoint | None]:
    """The last committed checkpoint of each partition (None: never scheduled)."""
    wanted = [TopicPartition(topic, p) for p in partitions]
    if not wanted:
        return {}
    reader = build_consumer(
        bootstrap, "pulsecheck-scheduler-progress", group_id=None, security=security
    )
    try:
        # started inside: a broker that refuses the start still gets its client closed
        await reader.start()
        reader.assign(wanted)
        ends: dict[TopicPartition, int] = await reader.end_offsets(wanted)
        return {tp.partition: await _last_checkpoint(reader, tp, ends[tp]) for tp in wanted}
    finally:
        await reader.stop()


async def _last_checkpoint(
    reader: AIOKafkaConsumer, tp: TopicPartition, end: int
) -> Checkpoint | None:
    give_up_at = time.monotonic() + _READ_TIMEOUT_SECONDS
    lookback = _FIRST_LOOKBACK
    start = end
    while start > 0:
        start = max(0, end - lookback)
        reader.seek(tp, start)
        latest: Checkpoint | None = None
        while await reader.position(tp) < end:
            if time.monotonic() > give_up_at:
                raise TimeoutError(f"could not read the checkpoint of {tp}")
            batch = await reader.getmany(tp, timeout_ms=1_000)
            for record in batch.get(tp, []):
                value = decode_progress(record.value) if record.offset < end else None
                latest = value if value is not None else latest
        if latest is not None:
            return latest
        lookback *= 4
    return None
