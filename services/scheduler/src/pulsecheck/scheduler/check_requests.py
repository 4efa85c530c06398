"""From a due check to the CheckRequested event and its envelope (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from pulsecheck.scheduler.planner import deadline_ms
from pulsecheck.scheduler.schedule import DueCheck
from pulsecheck.shared.events import (
    CheckRequested,
    Envelope,
    deterministic_event_id,
    new_envelope,
    request_id_for,
)

SOURCE = "pulsecheck/scheduler"


def from_epoch_ms(instant_ms: int) -> datetime:
    return datetime.fromtimestamp(instant_ms / 1000, UTC)


def to_epoch_ms(instant: datetime) -> int:
    return round(instant.timestamp() * 1000)


def check_requested_for(due: DueCheck, max_lateness_ms: int) -> CheckRequested:
    monitor = due.monitor
    scheduled_for = from_epoch_ms(due.scheduled_for_ms)
    cadence = monitor.cadences[due.kind]
    return CheckRequested(
        request_id=request_id_for(monitor.monitor_id, due.kind, scheduled_for),
        monitor_id=monitor.monitor_id,
        account_id=monitor.account_id,
        kind=due.kind,
        target=monitor.url,
        http=monitor.http,
        dns=monitor.dns,
        timeout_seconds=monitor.timeout_seconds,
        warning_days=list(monitor.warning_days),
        scheduled_for=scheduled_for,
        deadline=from_epoch_ms(deadline_ms(cadence, due.scheduled_for_ms, max_lateness_ms)),
        regions=list(monitor.regions),
    )


def envelope_for(request: CheckRequested, now_ms: int) -> Envelope:
    """The envelope id derives from the request id, so a re-emission is recognisable."""
    return new_envelope(
        request,
        source=SOURCE,
        subject=request.monitor_id,
        event_id=deterministic_event_id(request.request_id),
        time=from_epoch_ms(now_ms),
    )
