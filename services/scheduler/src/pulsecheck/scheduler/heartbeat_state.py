"""The scheduler's heartbeat state on Kafka: one compacted record per monitor, written in the
same transaction as the checkpoint whose `pings_through` it reflects, so a new owner that
reads both (read_committed, after fencing the old one) resumes exactly where the old one was.
"""

from __future__ import annotations

import json
import time

from aiokafka import TopicPartition

from pulsecheck.scheduler.heartbeat_judge import HeartbeatState
from pulsecheck.shared.kafka.consumer import build_consumer
from pulsecheck.shared.kafka.security import KafkaSecurity

_READ_TIMEOUT_SECONDS = 30.0


def encode_state(monitor_id: str, state: HeartbeatState) -> tuple[bytes, bytes]:
    value = {
        "last_ping_ms": state.last_ping_ms,
        "run_started_ms": state.run_started_ms,
        "missed_reported": state.missed_reported,
    }
    return monitor_id.encode(), json.dumps(value, separators=(",", ":")).encode()


def decode_state(value: bytes | None) -> HeartbeatState | None:
    if value is None:
        return None
    try:
        document = json.loads(value)
        last, started = document["last_ping_ms"], document["run_started_ms"]
        reported = document["missed_reported"]
    except (ValueError, KeyError, TypeError):
        return None
    if not all(v is None or isinstance(v, int) for v in (last, started)):
        return None
    return HeartbeatState(last, started, bool(reported))


async def read_states(
    bootstrap: str, topic: str, partition: int, security: KafkaSecurity
) -> dict[str, HeartbeatState]:
    """Every heartbeat's last committed state in `partition` (compacted: one record per key)."""
    tp = TopicPartition(topic, partition)
    reader = build_consumer(
        bootstrap, "pulsecheck-scheduler-heartbeat-states", group_id=None, security=security
    )
    try:
        # started inside: a broker that refuses the start still gets its client closed
        await reader.start()
        reader.assign([tp])
        end: int = (await reader.end_offsets([tp]))[tp]
        # an explicit offset: seek_to_beginning races the reset that assign() starts
        reader.seek(tp, (await reader.beginning_offsets([tp]))[tp])
        states: dict[str, HeartbeatState] = {}
        give_up_at = time.monotonic() + _READ_TIMEOUT_SECONDS
        while await reader.position(tp) < end:
            if time.monotonic() > give_up_at:
                raise TimeoutError(f"could not read the heartbeat states of {tp}")
            batch = await reader.getmany(tp, timeout_ms=1_000)
            for record in batch.get(tp, []):
                if record.key is None or record.offset >= end:
                    continue
                state = decode_state(record.value)
                monitor_id = record.key.decode("utf-8", "replace")
                if state is None:
                    states.pop(monitor_id, None)
                else:
                    states[monitor_id] = state
        return states
    finally:
        await reader.stop()
