"""Events of `pulsecheck.alerts`: incidents, certificate warnings and every delivery attempt."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from pulsecheck.shared.events.common import ChannelKind, CheckError, Contract

# "silent": no region has reported a result within its freshness (see the notifier's README)
IncidentKind = Literal["down", "degraded", "tls_invalid", "silent"]
# why an incident ended without its monitor recovering; such an end pages nobody
ResolvedReason = Literal["recovered", "monitor removed"]


class IncidentOpened(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.incident.opened.v1"

    incident_id: str
    monitor_id: str
    account_id: str
    kind: IncidentKind
    opened_at: datetime
    cause: CheckError | None = None
    failing_regions: list[str] = Field(default_factory=list)
    trigger_request_id: str | None = None


class IncidentResolved(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.incident.resolved.v1"

    incident_id: str
    monitor_id: str
    account_id: str
    kind: IncidentKind
    opened_at: datetime
    resolved_at: datetime
    duration_seconds: float
    trigger_request_id: str | None = None
    reason: ResolvedReason = "recovered"


class CertificateExpiring(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.certificate.expiring.v1"

    monitor_id: str
    account_id: str
    threshold_days: int
    days_remaining: int
    expiry_date: datetime
    fingerprint_sha256: str | None = None
    detected_at: datetime


class NotificationAttempt(Contract):
    """What every delivery attempt names: which alert, to which channel, which try."""

    delivery_key: str
    monitor_id: str
    account_id: str
    channel_id: str
    channel_kind: ChannelKind
    trigger_event_id: str
    trigger_type: str
    attempt: int


class NotificationSent(NotificationAttempt):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.notification.sent.v1"

    sent_at: datetime
    provider_message_id: str | None = None


class NotificationFailed(NotificationAttempt):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.notification.failed.v1"

    failed_at: datetime
    error: str
    retryable: bool
    final: bool
