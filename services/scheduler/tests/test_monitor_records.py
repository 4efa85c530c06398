from __future__ import annotations

import pytest

from pulsecheck.scheduler.monitor_records import Refused, apply_monitor_record
from pulsecheck.scheduler.planner import PlanningRules
from pulsecheck.scheduler.schedule import PartitionSchedule
from pulsecheck.shared.events import (
    CheckRequested,
    MonitorRegistered,
    MonitorRemoved,
    MonitorUpdated,
    encode,
    new_envelope,
)
from pulsecheck.shared.events.common import Contract

NOW = 1_750_000_000_000


def wire(payload: Contract) -> bytes:
    return encode(new_envelope(payload, source="tests", subject="m-1"))


def registered(**changes: object) -> MonitorRegistered:
    fields = {"monitor_id": "m-1", "account_id": "a", "name": "n", "url": "https://s.test/"}
    return MonitorRegistered.model_validate(fields | changes)


def unchecked(**changes: object) -> MonitorRegistered:
    """A spec as an older producer could publish it, before the contract refused it."""
    return registered().model_copy(update=changes)


def loaded() -> PartitionSchedule:
    schedule = PartitionSchedule(PlanningRules())
    assert apply_monitor_record(schedule, b"m-1", wire(registered()), NOW) is None
    return schedule


def test_registration_and_update_upsert() -> None:
    schedule = loaded()
    update = MonitorUpdated.model_validate(registered(interval_seconds=60).model_dump())
    assert apply_monitor_record(schedule, b"m-1", wire(update), NOW) is None
    assert "m-1" in schedule


@pytest.mark.parametrize(
    ("name", "key", "value"),
    [
        ("tombstone", b"m-1", None),
        ("removed event", b"m-1", wire(MonitorRemoved(monitor_id="m-1", account_id="a"))),
    ],
)
def test_removal_forgets_the_monitor(name: str, key: bytes, value: bytes | None) -> None:
    schedule = loaded()
    assert apply_monitor_record(schedule, key, value, NOW) is None, name
    assert "m-1" not in schedule, name


@pytest.mark.parametrize(
    ("name", "key", "value", "kind"),
    [
        ("garbage", b"m-1", b"\x00not json", "not_json"),
        ("tombstone without key", None, None, "no_key"),
        ("wrong key", b"m-2", wire(registered()), "key_mismatch"),
        # published before the contract had the rule: decoding applies it now
        ("bad cron", b"m-1", wire(unchecked(tls_schedule="daily")), "invalid_data"),
        ("feb 30", b"m-1", wire(unchecked(tls_schedule="0 0 30 2 *")), "invalid_data"),
        ("minute 61", b"m-1", wire(unchecked(tls_schedule="61 * * * *")), "invalid_data"),
        ("NUL in name", b"m-1", wire(unchecked(name="a\x00b")), "invalid_data"),
        (
            "event of another topic",
            b"m-1",
            wire(
                CheckRequested.model_validate(
                    {
                        "request_id": "r",
                        "monitor_id": "m-1",
                        "account_id": "a",
                        "kind": "http",
                        "target": "https://s.test/",
                        "scheduled_for": "2025-01-01T00:00:00Z",
                        "deadline": "2025-01-01T00:01:00Z",
                    }
                )
            ),
            "wrong_topic",
        ),
    ],
)
def test_bad_records_are_refused_and_change_nothing(
    name: str, key: bytes | None, value: bytes | None, kind: str
) -> None:
    schedule = loaded()
    refused = apply_monitor_record(schedule, key, value, NOW)
    assert isinstance(refused, Refused) and refused.error_kind == kind, name
    assert "m-1" in schedule and len(schedule) == 1, name
