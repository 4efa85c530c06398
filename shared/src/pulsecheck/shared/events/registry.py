"""The explicit map from wire type to payload model: the one list of events PulseCheck speaks."""

from __future__ import annotations

from typing import Final

from pulsecheck.shared.events.alerts import (
    CertificateExpiring,
    IncidentOpened,
    IncidentResolved,
    NotificationFailed,
    NotificationSent,
)
from pulsecheck.shared.events.channels import ChannelConfigured, ChannelRemoved
from pulsecheck.shared.events.checks import CheckCompleted, CheckRequested, CheckSkipped
from pulsecheck.shared.events.common import Contract
from pulsecheck.shared.events.monitors import MonitorRegistered, MonitorRemoved, MonitorUpdated

Event = (
    MonitorRegistered
    | MonitorUpdated
    | MonitorRemoved
    | ChannelConfigured
    | ChannelRemoved
    | CheckRequested
    | CheckCompleted
    | CheckSkipped
    | IncidentOpened
    | IncidentResolved
    | CertificateExpiring
    | NotificationSent
    | NotificationFailed
)

EVENT_MODELS: Final[dict[str, type[Contract]]] = {
    model.EVENT_TYPE: model
    for model in (
        MonitorRegistered,
        MonitorUpdated,
        MonitorRemoved,
        ChannelConfigured,
        ChannelRemoved,
        CheckRequested,
        CheckCompleted,
        CheckSkipped,
        IncidentOpened,
        IncidentResolved,
        CertificateExpiring,
        NotificationSent,
        NotificationFailed,
    )
}


def event_type_of(payload: Contract) -> str:
    event_type: str = getattr(type(payload), "EVENT_TYPE")  # noqa: B009
    return event_type
