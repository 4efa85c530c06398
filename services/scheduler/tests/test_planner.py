from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pulsecheck.scheduler.cadence import CronCadence, IntervalCadence
from pulsecheck.scheduler.offsets import stable_offset_ms
from pulsecheck.scheduler.planner import (
    InvalidSchedule,
    PlanningRules,
    cadences_for,
    deadline_ms,
    next_slot,
    resumed_slot,
    slot_to_emit,
)
from pulsecheck.shared.events import MonitorSpec

RULES = PlanningRules(min_interval_ms=10_000)
T0 = round(datetime(2025, 6, 1, 12, 0, tzinfo=UTC).timestamp() * 1000)


def spec(monitor_id: str = "m-1", **changes: Any) -> MonitorSpec:
    fields: dict[str, Any] = {
        "monitor_id": monitor_id,
        "account_id": "acct-1",
        "name": "site",
        "url": "https://site.test/",
    }
    return MonitorSpec.model_validate(fields | changes)


@pytest.mark.parametrize(
    ("name", "monitor", "kinds"),
    [
        ("default: http every 300 s and tls daily", spec(), {"http", "tls"}),
        ("tcp only", spec(check_kinds=["tcp"]), {"tcp"}),
        ("a tcp:// service", spec(url="tcp://db.test:5432"), {"tcp"}),
        ("a dns record", spec(url="dns://site.test"), {"dns"}),
        (
            "an SMTP certificate and port",
            spec(url="smtp://mx.test:587", check_kinds=["tls", "tcp"]),
            {"tls", "tcp"},
        ),
        # the contract refuses repeats now; a spec decoded before that still plans each once
        (
            "duplicate kinds count once",
            spec().model_copy(update={"check_kinds": ["http", "http"]}),
            {"http"},
        ),
        ("paused: nothing", spec(paused=True), set()),
    ],
)
def test_cadences_per_kind(name: str, monitor: MonitorSpec, kinds: set[str]) -> None:
    assert set(cadences_for(monitor, RULES)) == kinds, name


def test_uptime_cadence_uses_the_interval_and_a_stable_offset() -> None:
    cadence = cadences_for(spec(interval_seconds=60), RULES)["http"]
    assert cadence == IntervalCadence(60_000, stable_offset_ms("m-1", 60_000))


def test_a_dns_check_recurs_like_uptime_and_a_starttls_certificate_like_tls() -> None:
    dns = cadences_for(spec(url="dns://site.test", interval_seconds=60), RULES)["dns"]
    assert dns == IntervalCadence(60_000, stable_offset_ms("m-1", 60_000))
    certificate = cadences_for(spec(url="imap://mx.test", tls_schedule="0 3 * * *"), RULES)["tls"]
    assert isinstance(certificate, CronCadence) and certificate.expression == "0 3 * * *"


def test_interval_below_the_minimum_is_raised_to_it() -> None:
    cadence = cadences_for(spec(interval_seconds=1), RULES)["http"]
    assert cadence.period_ms() == 10_000


def test_tls_cadence_spreads_the_cron_over_the_window() -> None:
    cadence = cadences_for(spec(tls_schedule="0 0 * * *", tls_window_seconds=3600), RULES)["tls"]
    assert isinstance(cadence, CronCadence)
    assert 0 <= cadence.offset_ms < 3_600_000
    midnight = round(datetime(2025, 6, 2, tzinfo=UTC).timestamp() * 1000)
    assert next_slot(cadence, T0) == midnight + cadence.offset_ms


def test_invalid_cron_is_refused() -> None:
    with pytest.raises(InvalidSchedule):
        # a spec built without validation, as one decoded before the contract had the rule
        cadences_for(spec().model_copy(update={"tls_schedule": "every day"}), RULES)


GRID = IntervalCadence(interval_ms=60_000, offset_ms=7_000)


@pytest.mark.parametrize(
    ("name", "now_ms", "emitted_through_ms", "expected_ms"),
    [
        ("never scheduled: the next slot", T0 + 1_000, None, T0 + 7_000),
        ("restart right away: nothing missed", T0 + 8_000, T0 + 7_500, T0 + 67_000),
        ("one slot missed: it is due now", T0 + 8_000, T0 + 6_000, T0 + 7_000),
        ("ten slots missed: only the latest", T0 + 600_000 + 8_000, T0, T0 + 607_000),
        ("slot exactly at now, emitted", T0 + 7_000, T0 + 7_000, T0 + 67_000),
        ("slot exactly at now, not emitted", T0 + 7_000, T0 + 6_999, T0 + 7_000),
    ],
)
def test_resumed_slot(
    name: str, now_ms: int, emitted_through_ms: int | None, expected_ms: int
) -> None:
    assert resumed_slot(GRID, now_ms, emitted_through_ms) == expected_ms, name


@pytest.mark.parametrize(
    ("name", "due_ms", "now_ms", "expected_ms"),
    [
        ("on time", T0 + 7_000, T0 + 7_050, T0 + 7_000),
        ("clock three intervals behind: the latest", T0 + 7_000, T0 + 187_100, T0 + 187_000),
    ],
)
def test_slot_to_emit(name: str, due_ms: int, now_ms: int, expected_ms: int) -> None:
    assert slot_to_emit(GRID, due_ms, now_ms) == expected_ms, name


@pytest.mark.parametrize(
    ("name", "cadence", "cap_ms", "expected_lateness_ms"),
    [
        ("short interval: until the next one", IntervalCadence(30_000, 0), 300_000, 30_000),
        ("long interval: the cap", IntervalCadence(3_600_000, 0), 300_000, 300_000),
        ("daily tls: the cap", CronCadence("0 0 * * *", 0, 86_400_000), 300_000, 300_000),
    ],
)
def test_deadline(name: str, cadence: Any, cap_ms: int, expected_lateness_ms: int) -> None:
    assert deadline_ms(cadence, T0, cap_ms) == T0 + expected_lateness_ms, name
