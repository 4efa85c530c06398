"""Past-deadline requests are skipped, with a reason (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pulsecheck.prober.admission import skip_reason, skipped_event
from pulsecheck.shared.events import CheckRequested

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
REQUEST = CheckRequested(
    request_id="m:http:t",
    monitor_id="m",
    account_id="a",
    kind="http",
    target="https://example.com",
    scheduled_for=NOW - timedelta(seconds=30),
    deadline=NOW,
)


def test_in_time_requests_run() -> None:
    assert skip_reason(REQUEST, NOW) is None
    assert skip_reason(REQUEST, NOW - timedelta(seconds=10)) is None


def test_late_requests_are_skipped_with_how_late() -> None:
    later = NOW + timedelta(seconds=90)
    reason = skip_reason(REQUEST, later)
    assert reason == "past deadline by 90.0s"
    event = skipped_event(REQUEST, "eu-west", later, reason)
    assert (event.request_id, event.region, event.skipped_at) == ("m:http:t", "eu-west", later)
    assert event.deadline == NOW
