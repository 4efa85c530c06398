"""Heartbeat (push) monitors: what a job promises (options), what it sends (a ping), and what
the scheduler reports from it (a result inside CheckCompleted).

A heartbeat monitor is a `heartbeat://<name>` URL with check kind `heartbeat`. Nobody probes
it: the job pings the API, the API publishes `HeartbeatPinged` on the heartbeats topic (keyed
by monitor id, so pings share the monitor's partition), and the scheduler, which owns time,
judges pings and deadlines and writes the outcome to checks.completed like any other kind.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, model_validator

from pulsecheck.shared.events.common import Contract
from pulsecheck.shared.events.cron import CronExpression
from pulsecheck.shared.events.plain_text import Label

# a period or grace longer than the pings topic keeps its records could not be judged after a
# restart; a week covers weekly jobs, and a cron schedule covers anything rarer
MAX_PERIOD_SECONDS = 7 * 86_400
MAX_GRACE_SECONDS = 7 * 86_400
DEFAULT_PERIOD_SECONDS = 3_600
# a ping's body is a job's last words (a log tail): kept, but small
MAX_PING_BODY_CHARS = 10 * 1024
# what a result carries of a body: enough for an alert, small enough for every consumer
MAX_RESULT_BODY_CHARS = 1024

PingSignal = Literal["success", "start", "fail"]
HeartbeatSignal = Literal["success", "fail", "missed", "run_too_long"]
# a process's exit status as a shell reports it
MAX_EXIT_CODE = 255
ExitCode = Annotated[int, Field(ge=0, le=MAX_EXIT_CODE)]


class HeartbeatOptions(Contract):
    """When pings are due: every `period_seconds`, or on a `schedule` (cron, UTC); either way
    a ping may be `grace_seconds` late. A `start` ping expects its job's end within
    `max_run_seconds` (None: the grace)."""

    period_seconds: Annotated[int, Field(ge=1, le=MAX_PERIOD_SECONDS)] | None = None
    schedule: CronExpression | None = None
    grace_seconds: Annotated[int, Field(ge=0, le=MAX_GRACE_SECONDS)] = 300
    max_run_seconds: Annotated[int, Field(ge=1, le=MAX_GRACE_SECONDS)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _period_by_default(cls, data: Any) -> Any:
        unset = isinstance(data, dict) and data.get("period_seconds") is None
        if unset and data.get("schedule") is None:
            return {**data, "period_seconds": DEFAULT_PERIOD_SECONDS}
        return data

    @model_validator(mode="after")
    def _one_timing(self) -> HeartbeatOptions:
        if self.period_seconds is not None and self.schedule is not None:
            raise ValueError("give period_seconds or schedule, not both")
        return self

    @property
    def run_limit_seconds(self) -> int:
        return self.max_run_seconds if self.max_run_seconds is not None else self.grace_seconds


class HeartbeatPinged(Contract):
    """A job reported in. The API publishes it and decides nothing about it."""

    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.heartbeat.pinged.v1"

    ping_id: Label
    monitor_id: Label
    account_id: Label
    signal: PingSignal
    # `/ping/<token>/<code>`: 0 is a success, anything else a failure
    exit_code: ExitCode | None = None
    pinged_at: datetime
    # what the job sent, decoded as UTF-8 (invalid bytes replaced) and cut to the cap
    body: Annotated[str, Field(max_length=MAX_PING_BODY_CHARS)] = ""


class HeartbeatResult(Contract):
    """What a heartbeat's CheckCompleted says beyond up or down."""

    signal: HeartbeatSignal
    # the ping judged (None for a deadline that passed without one)
    pinged_at: datetime | None = None
    exit_code: ExitCode | None = None
    # a run's duration: from its `start` ping to the ping that ended it
    run_ms: Annotated[float, Field(ge=0)] | None = None
    body: Annotated[str, Field(max_length=MAX_RESULT_BODY_CHARS)] | None = None
