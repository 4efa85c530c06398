"""Whether a request is still worth running, and the event that says it was skipped (pure)."""

from __future__ import annotations

from datetime import datetime

from pulsecheck.shared.events import CheckRequested, CheckSkipped


def skip_reason(request: CheckRequested, now: datetime) -> str | None:
    if now > request.deadline:
        late = (now - request.deadline).total_seconds()
        return f"past deadline by {late:.1f}s"
    return None


def skipped_event(request: CheckRequested, region: str, now: datetime, reason: str) -> CheckSkipped:
    return CheckSkipped(
        request_id=request.request_id,
        monitor_id=request.monitor_id,
        account_id=request.account_id,
        kind=request.kind,
        region=region,
        scheduled_for=request.scheduled_for,
        deadline=request.deadline,
        skipped_at=now,
        reason=reason,
    )
