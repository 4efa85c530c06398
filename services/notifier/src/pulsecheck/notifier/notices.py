"""A notice: one alert that channels should hear about, with the transition it announces."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from pulsecheck.shared.events import CertificateExpiring, IncidentOpened, IncidentResolved
from pulsecheck.shared.events.registry import event_type_of

AlertPayload = IncidentOpened | IncidentResolved | CertificateExpiring


class Notice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # id of the alert event on the alerts topic that this notice announces
    event_id: str
    # the incident id, or the certificate and threshold, the notice is about
    subject_key: str
    # "opened", "resolved", "reminder-2", "expiring-14", …
    transition: str
    alert: AlertPayload

    @property
    def event_type(self) -> str:
        return event_type_of(self.alert)

    def delivery_key(self, channel_id: str, recipient: str) -> str:
        """Identifies one delivery, so it is made at most once per channel and recipient."""
        return "|".join((self.subject_key, self.transition, channel_id, recipient))
