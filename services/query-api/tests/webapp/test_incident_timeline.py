"""An incident's timeline: its deliveries between opening and a little after resolving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pulsecheck.webapp.incident_timeline import AFTERMATH, timeline

OPENED = datetime(2025, 1, 1, 12, tzinfo=UTC)


def _delivery(minutes: float, outcome: str) -> dict[str, object]:
    at = OPENED + timedelta(minutes=minutes)
    return {"at": at, "trigger_type": "incident.opened", "channel_kind": "slack", "attempt": 1,
            "outcome": outcome, "error": None if outcome == "sent" else "503"}  # fmt: skip


def test_moments_in_order_with_only_this_incidents_deliveries() -> None:
    incident = {"opened_at": OPENED, "resolved_at": OPENED + timedelta(minutes=10),
                "cause": "HTTP 503", "failing_regions": ["eu"]}  # fmt: skip
    too_late = 10 + AFTERMATH.total_seconds() / 60 + 1
    deliveries = [_delivery(-1, "sent"), _delivery(1, "failed"), _delivery(2, "sent"),
                  _delivery(12, "sent"), _delivery(too_late, "sent")]  # fmt: skip
    moments = timeline(incident, deliveries, OPENED + timedelta(hours=1))
    assert [m.outcome for m in moments] == ["opened", "failed", "sent", "resolved", "sent"]
    assert moments[0].what == "Opened: HTTP 503 (regions eu)"
    assert "— 503" in moments[1].what


def test_an_open_incident_has_no_end_and_takes_deliveries_until_now() -> None:
    incident = {"opened_at": OPENED, "resolved_at": None}
    moments = timeline(incident, [_delivery(30, "sent")], OPENED + timedelta(minutes=31))
    assert [m.outcome for m in moments] == ["opened", "sent"]
