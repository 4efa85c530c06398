"""Incidents and notification attempts, as the alerts topic reported them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

IncidentState = Literal["open", "resolved"]


class IncidentPublic(BaseModel):
    id: str
    website_id: str
    kind: str
    state: IncidentState
    opened_at: datetime
    resolved_at: datetime | None
    duration_seconds: float | None
    cause_kind: str | None
    cause: str | None
    failing_regions: list[str]


class IncidentsPage(BaseModel):
    data: list[IncidentPublic]
    next_cursor: str | None


class NotificationPublic(BaseModel):
    id: int
    website_id: str
    channel_id: str
    channel_kind: str
    trigger_type: str
    trigger_event_id: str
    attempt: int
    outcome: Literal["sent", "failed"]
    at: datetime
    provider_message_id: str | None
    error: str | None
    retryable: bool | None
    final: bool | None


class NotificationsPage(BaseModel):
    data: list[NotificationPublic]
    next_cursor: str | None
