"""Whether a request is still worth running, and the event that says it was skipped (pure)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

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


@lru_cache(maxsize=8192)  # pure; asked for every check of the same targets
def target_host(target: str) -> str:
    """The host a request connects to, the key of its host's share ("host:port" or a URL)."""
    try:
        host = urlsplit(target if "://" in target else f"//{target}").hostname
    except ValueError:
        host = None
    return (host or target).rstrip(".").lower()
