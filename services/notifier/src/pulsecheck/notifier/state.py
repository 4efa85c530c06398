"""What the notifier remembers about one monitor between two check results.

Values are immutable; `decide` returns a new state. Counters saturate at the rule thresholds so
a steady monitor produces no state change (and no changelog write) per result.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pulsecheck.notifier.notices import Notice
from pulsecheck.shared.events import CheckError, IncidentOpened
from pulsecheck.shared.events.alerts import IncidentKind

Status = Literal["unknown", "up", "down", "degraded"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RegionTally(Frozen):
    """The recent run of uptime results seen from one region."""

    consecutive_failures: int = 0
    consecutive_successes: int = 0
    failing_since: datetime | None = None
    slow: bool = False
    last_error: CheckError | None = None


class OpenIncident(Frozen):
    incident_id: str
    kind: IncidentKind
    opened_at: datetime
    event_id: str
    # the opening event, repeated by reminders
    alert: IncidentOpened
    last_notified_at: datetime
    reminders_sent: int = 0


class CertificateMemory(Frozen):
    """The certificate last seen, and which warning thresholds were already announced for it."""

    fingerprint: str | None = None
    expiry_date: datetime | None = None
    announced_days: tuple[int, ...] = ()


class MonitorState(Frozen):
    monitor_id: str
    account_id: str = ""
    status: Status = "unknown"
    since: datetime | None = None
    regions: dict[str, RegionTally] = Field(default_factory=dict)
    incidents: dict[IncidentKind, OpenIncident] = Field(default_factory=dict)
    certificate: CertificateMemory = Field(default_factory=CertificateMemory)
    # regions whose latest certificate check found it invalid
    tls_invalid_regions: tuple[str, ...] = ()
    # regions of the monitor with no fresh result (see regions.py)
    silent: tuple[str, ...] = ()
    # notifications waiting for quiet hours or a maintenance window to end
    held: tuple[Notice, ...] = ()
    # newest `scheduled_for` applied per "kind:region": a replayed result is recognised and skipped
    watermarks: dict[str, datetime] = Field(default_factory=dict)

    def materially_equal(self, other: MonitorState) -> bool:
        """Equal apart from watermarks: such a change need not be written down."""
        return self.model_copy(update={"watermarks": other.watermarks}) == other
