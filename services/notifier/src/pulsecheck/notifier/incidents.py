"""Opening and resolving incidents: the state change and the notice announcing it."""

from __future__ import annotations

from datetime import datetime

from pulsecheck.notifier.notices import Notice
from pulsecheck.notifier.state import MonitorState, OpenIncident
from pulsecheck.shared.events import (
    CheckError,
    IncidentOpened,
    IncidentResolved,
    deterministic_event_id,
)
from pulsecheck.shared.events.alerts import IncidentKind, ResolvedReason


def incident_id_for(monitor_id: str, kind: IncidentKind, trigger_request_id: str) -> str:
    """Derived from the result that confirmed it, so a replay opens the same incident."""
    return deterministic_event_id("incident", monitor_id, kind, trigger_request_id)


def open_incident(
    state: MonitorState,
    kind: IncidentKind,
    *,
    opened_at: datetime,
    confirmed_at: datetime,
    trigger_request_id: str,
    cause: CheckError | None,
    failing_regions: list[str],
) -> tuple[MonitorState, Notice]:
    incident_id = incident_id_for(state.monitor_id, kind, trigger_request_id)
    event_id = deterministic_event_id("incident-opened", incident_id)
    alert = IncidentOpened(
        incident_id=incident_id,
        monitor_id=state.monitor_id,
        account_id=state.account_id,
        kind=kind,
        opened_at=opened_at,
        cause=cause,
        failing_regions=sorted(failing_regions),
        trigger_request_id=trigger_request_id,
    )
    incident = OpenIncident(
        incident_id=incident_id,
        kind=kind,
        opened_at=opened_at,
        event_id=event_id,
        alert=alert,
        last_notified_at=confirmed_at,
    )
    incidents = {**state.incidents, kind: incident}
    notice = Notice(event_id=event_id, subject_key=incident_id, transition="opened", alert=alert)
    return state.model_copy(update={"incidents": incidents}), notice


def resolve_incident(
    state: MonitorState,
    kind: IncidentKind,
    *,
    resolved_at: datetime,
    trigger_request_id: str | None,
    reason: ResolvedReason = "recovered",
) -> tuple[MonitorState, Notice | None]:
    incident = state.incidents.get(kind)
    if incident is None:
        return state, None
    alert = IncidentResolved(
        incident_id=incident.incident_id,
        monitor_id=state.monitor_id,
        account_id=state.account_id,
        kind=kind,
        opened_at=incident.opened_at,
        resolved_at=resolved_at,
        duration_seconds=max(0.0, (resolved_at - incident.opened_at).total_seconds()),
        trigger_request_id=trigger_request_id,
        reason=reason,
    )
    incidents = {k: v for k, v in state.incidents.items() if k != kind}
    notice = Notice(
        event_id=deterministic_event_id("incident-resolved", incident.incident_id),
        subject_key=incident.incident_id,
        transition="resolved",
        alert=alert,
    )
    return state.model_copy(update={"incidents": incidents}), notice
