"""Applying one record of the monitors topic to a partition's schedule.

Registrations and changes upsert; a MonitorRemoved event or a tombstone (null value, the
compacted topic forgetting the key) removes. Anything else is refused with a reason for the
dead-letter topic, and the schedule is left as it was. A spec is judged by the contract when
it is decoded (the same models the API validated it with), so a monitor whose spec breaks a
rule is skipped and reported here instead of failing later in the planner.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pulsecheck.scheduler.planner import InvalidSchedule
from pulsecheck.scheduler.schedule import PartitionSchedule
from pulsecheck.shared.events import (
    DecodeError,
    MonitorRegistered,
    MonitorRemoved,
    MonitorUpdated,
    decode,
)
from pulsecheck.shared.events.registry import MONITORS_EVENTS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refused:
    error_kind: str
    reason: str


def apply_monitor_record(
    schedule: PartitionSchedule, key: bytes | None, value: bytes | None, now_ms: int
) -> Refused | None:
    refused = _applied(schedule, key, value, now_ms)
    if refused is not None:
        log.warning(
            "monitor record skipped",
            extra={"key": repr(key), "error_kind": refused.error_kind, "reason": refused.reason},
        )
    return refused


def _applied(
    schedule: PartitionSchedule, key: bytes | None, value: bytes | None, now_ms: int
) -> Refused | None:
    if value is None:
        if key is None:
            return Refused("no_key", "a tombstone without a key names no monitor")
        schedule.remove(key.decode("utf-8", "replace"))
        return None
    decoded = decode(value, MONITORS_EVENTS)
    if isinstance(decoded, DecodeError):
        return Refused(decoded.kind, decoded.reason)
    payload = decoded.data
    if isinstance(payload, MonitorRemoved):
        schedule.remove(payload.monitor_id)
        return None
    if not isinstance(payload, MonitorRegistered | MonitorUpdated):
        return Refused("wrong_topic", f"{decoded.type} does not belong on the monitors topic")
    if key is not None and key.decode("utf-8", "replace") != payload.monitor_id:
        # compaction keeps one record per key: a mismatched key would never be forgotten
        return Refused("key_mismatch", f"key {key!r} is not monitor {payload.monitor_id!r}")
    try:
        schedule.upsert(payload, now_ms)
    except InvalidSchedule as exc:
        return Refused("invalid_schedule", str(exc))
    return None
