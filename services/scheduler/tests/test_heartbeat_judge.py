"""The heartbeat judge as tables of scenarios: pings, runs and silences at a given `now`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pulsecheck.scheduler.heartbeat_judge import (
    HeartbeatState,
    Watched,
    expected_by_ms,
    judge_ping,
    judge_silence,
    next_deadline_ms,
)
from pulsecheck.shared.events import HeartbeatOptions, HeartbeatPinged

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z
S = 1000


def watched(**options: object) -> Watched:
    return Watched("m-1", "acct-1", "heartbeat://job", HeartbeatOptions.model_validate(options))


def ping(at_ms: int, signal: str = "success", exit_code: int | None = None) -> HeartbeatPinged:
    return HeartbeatPinged.model_validate(
        {
            "ping_id": f"p-{at_ms}",
            "monitor_id": "m-1",
            "account_id": "acct-1",
            "signal": signal,
            "exit_code": exit_code,
            "pinged_at": datetime.fromtimestamp(at_ms / 1000, UTC),
        }
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param({"period_seconds": 60, "grace_seconds": 30}, T0 + 90 * S, id="period"),
        # a ping at midnight: the next 02:30 fire, plus the grace
        pytest.param(
            {"schedule": "30 2 * * *", "grace_seconds": 600}, T0 + (150 + 10) * 60 * S, id="cron"
        ),
    ],
)
def test_expected_by(options: dict[str, object], expected: int) -> None:
    assert expected_by_ms(HeartbeatOptions.model_validate(options), T0) == expected


def test_a_job_that_never_pinged_has_no_deadline() -> None:
    assert next_deadline_ms(HeartbeatState(), HeartbeatOptions()) is None
    assert judge_silence(HeartbeatState(), watched(), T0 + 10**9) == (HeartbeatState(), [])


@pytest.mark.parametrize(
    ("signal", "code", "outcome", "error"),
    [
        pytest.param("success", None, "up", None, id="success"),
        pytest.param("success", 0, "up", None, id="exit code 0"),
        pytest.param("success", 2, "down", "ping_failure", id="non-zero exit code"),
        pytest.param("fail", None, "down", "ping_failure", id="fail"),
    ],
)
def test_a_ping_is_judged_at_once(
    signal: str, code: int | None, outcome: str, error: str | None
) -> None:
    state, result = judge_ping(
        HeartbeatState(run_started_ms=T0), ping(T0 + 5 * S, signal, code), watched()
    )
    assert result is not None and result.outcome == outcome
    assert (result.error.kind.value if result.error else None) == error
    assert result.heartbeat is not None and result.heartbeat.run_ms == 5 * S
    assert state == HeartbeatState(last_ping_ms=T0 + 5 * S)


def test_silence_is_reported_once_until_the_next_ping() -> None:
    monitor = watched(period_seconds=60, grace_seconds=30)
    state, _ = judge_ping(HeartbeatState(), ping(T0), monitor)
    assert judge_silence(state, monitor, T0 + 90 * S - 1) == (state, [])
    state, missed = judge_silence(state, monitor, T0 + 90 * S)
    assert [r.error.kind.value for r in missed if r.error] == ["missed_ping"]
    assert missed[0].error is not None
    assert missed[0].error.message == "no ping within 60 s + 30 s grace"
    assert judge_silence(state, monitor, T0 + 10**7) == (state, [])
    assert next_deadline_ms(state, monitor.options) is None
    state, result = judge_ping(state, ping(T0 + 200 * S), monitor)
    assert result is not None and result.outcome == "up"
    assert next_deadline_ms(state, monitor.options) == T0 + 290 * S


def test_a_start_without_an_end_took_too_long() -> None:
    monitor = watched(period_seconds=3600, grace_seconds=60, max_run_seconds=10)
    state, result = judge_ping(HeartbeatState(last_ping_ms=T0), ping(T0 + S, "start"), monitor)
    assert result is None and next_deadline_ms(state, monitor.options) == T0 + 11 * S
    state, late = judge_silence(state, monitor, T0 + 11 * S)
    assert [r.heartbeat.signal for r in late if r.heartbeat] == ["run_too_long"]
    assert state == HeartbeatState(last_ping_ms=T0)
