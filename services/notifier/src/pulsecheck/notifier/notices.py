"""A notice: one alert that channels should hear about, with the transition it announces."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from pulsecheck.channels.base import AlertPayload
from pulsecheck.shared.events.registry import event_type_of


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
