"""The pure judge of heartbeats: from pings and `now` to results, healthchecks.io-style.

Times are epoch milliseconds. Per monitor the state is the last ping that ended a run (success
or failure), the start of an open run, and whether the current deadline was reported missed:
- a success ping is up, a fail ping (or a non-zero exit code) is down at once; either ends the
  open run, whose duration goes into the result, and sets the next deadline;
- the next deadline is the last ping plus the period (or the schedule's next fire after it),
  plus the grace; passing it without a ping is down, reported once until the next ping;
- a start ping opens a run; no end within the run limit is down ("run took too long");
- before the first ping there is no deadline (a job that never ran yet is not late).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from pulsecheck.scheduler.cron_calendar import fire_after
from pulsecheck.shared.events import (
    CheckCompleted,
    CheckError,
    ErrorKind,
    HeartbeatOptions,
    HeartbeatPinged,
    HeartbeatResult,
)
from pulsecheck.shared.events.heartbeats import MAX_RESULT_BODY_CHARS

# the region of every heartbeat result: pings reach one API, not a prober of each region
PUSH_REGION = "push"


@dataclass(frozen=True, slots=True)
class HeartbeatState:
    last_ping_ms: int | None = None
    run_started_ms: int | None = None
    missed_reported: bool = False


@dataclass(frozen=True, slots=True)
class Watched:
    """What the judge needs of a monitor (the scheduler's table holds it)."""

    monitor_id: str
    account_id: str
    url: str
    options: HeartbeatOptions


def _ms(instant: datetime) -> int:
    return round(instant.timestamp() * 1000)


def _at(instant_ms: int) -> datetime:
    return datetime.fromtimestamp(instant_ms / 1000, UTC)


def expected_by_ms(options: HeartbeatOptions, last_ping_ms: int) -> int:
    """When silence after a ping at `last_ping_ms` becomes a failure."""
    if options.schedule is not None:
        next_ping = fire_after(options.schedule, last_ping_ms)
    else:
        next_ping = last_ping_ms + (options.period_seconds or 0) * 1000
    return next_ping + options.grace_seconds * 1000


def next_deadline_ms(state: HeartbeatState, options: HeartbeatOptions) -> int | None:
    """The next instant at which `state` turns into a failure unless a ping comes first."""
    deadlines = []
    if state.last_ping_ms is not None and not state.missed_reported:
        deadlines.append(expected_by_ms(options, state.last_ping_ms))
    if state.run_started_ms is not None:
        deadlines.append(state.run_started_ms + options.run_limit_seconds * 1000)
    return min(deadlines, default=None)


def judge_ping(
    state: HeartbeatState, ping: HeartbeatPinged, monitor: Watched
) -> tuple[HeartbeatState, CheckCompleted | None]:
    """The state after `ping`, and the result it is (None for a start, which opens a run)."""
    pinged_ms = _ms(ping.pinged_at)
    if ping.signal == "start":
        return replace(state, run_started_ms=pinged_ms), None
    failed = ping.signal == "fail" or (ping.exit_code is not None and ping.exit_code != 0)
    started = state.run_started_ms
    run_ms = float(pinged_ms - started) if started is not None and started <= pinged_ms else None
    last = max(pinged_ms, state.last_ping_ms or pinged_ms)
    error = None
    if failed:
        code = f" (exit code {ping.exit_code})" if ping.exit_code is not None else ""
        error = CheckError(kind=ErrorKind.PING_FAILURE, message=f"the job reported failure{code}")
    result = _result(
        monitor,
        request_id=f"{monitor.monitor_id}:heartbeat:{ping.ping_id}",
        scheduled_ms=pinged_ms,
        started_ms=started if run_ms is not None and started is not None else pinged_ms,
        finished_ms=pinged_ms,
        error=error,
        heartbeat=HeartbeatResult(
            signal="fail" if failed else "success",
            pinged_at=ping.pinged_at,
            exit_code=ping.exit_code,
            run_ms=run_ms,
            body=ping.body[:MAX_RESULT_BODY_CHARS] or None,
        ),
    )
    return HeartbeatState(last_ping_ms=last), result


def judge_silence(
    state: HeartbeatState, monitor: Watched, now_ms: int
) -> tuple[HeartbeatState, list[CheckCompleted]]:
    """The failures `now_ms` finds in `state` (each reported once), and the state after them."""
    options = monitor.options
    results: list[CheckCompleted] = []
    if state.run_started_ms is not None:
        limit_ms = state.run_started_ms + options.run_limit_seconds * 1000
        if limit_ms <= now_ms:
            results.append(
                _result(
                    monitor,
                    request_id=f"{monitor.monitor_id}:heartbeat:run:{_at(limit_ms).isoformat()}",
                    scheduled_ms=limit_ms,
                    started_ms=state.run_started_ms,
                    finished_ms=now_ms,
                    error=CheckError(
                        kind=ErrorKind.RUN_TOO_LONG,
                        message=f"run took too long: no end within {options.run_limit_seconds} s",
                    ),
                    heartbeat=HeartbeatResult(signal="run_too_long"),
                )
            )
            state = replace(state, run_started_ms=None)
    if state.last_ping_ms is not None and not state.missed_reported:
        expected_ms = expected_by_ms(options, state.last_ping_ms)
        if expected_ms <= now_ms:
            results.append(
                _result(
                    monitor,
                    request_id=f"{monitor.monitor_id}:heartbeat:missed:{_at(expected_ms).isoformat()}",
                    scheduled_ms=expected_ms,
                    started_ms=state.last_ping_ms,
                    finished_ms=now_ms,
                    error=CheckError(kind=ErrorKind.MISSED_PING, message=_missed(options)),
                    heartbeat=HeartbeatResult(signal="missed"),
                )
            )
            state = replace(state, missed_reported=True)
    return state, results


def _missed(options: HeartbeatOptions) -> str:
    grace = f" + {options.grace_seconds} s grace"
    if options.schedule is not None:
        return f"no ping on schedule {options.schedule!r}{grace}"
    return f"no ping within {options.period_seconds} s{grace}"


def _result(
    monitor: Watched,
    *,
    request_id: str,
    scheduled_ms: int,
    started_ms: int,
    finished_ms: int,
    error: CheckError | None,
    heartbeat: HeartbeatResult,
) -> CheckCompleted:
    return CheckCompleted(
        request_id=request_id,
        monitor_id=monitor.monitor_id,
        account_id=monitor.account_id,
        kind="heartbeat",
        region=PUSH_REGION,
        target=monitor.url,
        scheduled_for=_at(scheduled_ms),
        started_at=_at(min(started_ms, finished_ms)),
        finished_at=_at(finished_ms),
        outcome="down" if error is not None else "up",
        error=error,
        heartbeat=heartbeat,
    )
