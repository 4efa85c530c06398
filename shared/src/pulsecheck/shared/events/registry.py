"""The explicit map from wire type to payload model: the one list of events PulseCheck speaks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from pulsecheck.shared.events.alerts import (
    CertificateExpiring,
    IncidentOpened,
    IncidentResolved,
    NotificationFailed,
    NotificationSent,
)
from pulsecheck.shared.events.channels import (
    ChannelConfigured,
    ChannelRemoved,
    ChannelTestRequested,
)
from pulsecheck.shared.events.checks import CheckCompleted, CheckRequested, CheckSkipped
from pulsecheck.shared.events.checks_v2 import CheckCompletedV2
from pulsecheck.shared.events.common import Contract
from pulsecheck.shared.events.heartbeats import HeartbeatPinged
from pulsecheck.shared.events.monitors import MonitorRegistered, MonitorRemoved, MonitorUpdated
from pulsecheck.shared.events.upcasting import check_completed_v1_to_v2
from pulsecheck.shared.topics import Topics

Event = (
    MonitorRegistered
    | MonitorUpdated
    | MonitorRemoved
    | ChannelConfigured
    | ChannelRemoved
    | ChannelTestRequested
    | CheckRequested
    | CheckCompleted
    | CheckCompletedV2
    | CheckSkipped
    | HeartbeatPinged
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
        ChannelTestRequested,
        CheckRequested,
        CheckCompleted,
        CheckCompletedV2,
        CheckSkipped,
        HeartbeatPinged,
        IncidentOpened,
        IncidentResolved,
        CertificateExpiring,
        NotificationSent,
        NotificationFailed,
    )
}


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

# an old wire type -> the next version's type and the one step that gets its data there
UPCASTERS: Final[dict[str, tuple[str, Upcaster]]] = {
    CheckCompleted.EVENT_TYPE: (CheckCompletedV2.EVENT_TYPE, check_completed_v1_to_v2),
}


def upcast(event_type: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The latest version of an event's type and data, one registered step at a time."""
    while event_type in UPCASTERS:
        event_type, step = UPCASTERS[event_type]
        data = step(data)
    return event_type, data


def event_type_of(payload: Contract) -> str:
    event_type: str = getattr(type(payload), "EVENT_TYPE")  # noqa: B009
    return event_type


def _types(*models: type[Contract]) -> frozenset[str]:
    return frozenset(getattr(model, "EVENT_TYPE") for model in models)  # noqa: B009


# the events each topic carries: anything else read from it is dead-lettered, never applied
MONITORS_EVENTS: Final = _types(MonitorRegistered, MonitorUpdated, MonitorRemoved)
CHANNELS_EVENTS: Final = _types(ChannelConfigured, ChannelRemoved)
CHANNEL_TESTS_EVENTS: Final = _types(ChannelTestRequested)
CHECKS_REQUESTED_EVENTS: Final = _types(CheckRequested)
CHECKS_COMPLETED_EVENTS: Final = _types(CheckCompleted, CheckSkipped)
HEARTBEATS_EVENTS: Final = _types(HeartbeatPinged)
ALERTS_EVENTS: Final = _types(
    IncidentOpened, IncidentResolved, CertificateExpiring, NotificationSent, NotificationFailed
)


def events_on(topics: Topics) -> dict[str, frozenset[str]]:
    """Topic name → the event types that belong on it."""
    return {
        topics.monitors: MONITORS_EVENTS,
        topics.channels: CHANNELS_EVENTS,
        topics.channel_tests: CHANNEL_TESTS_EVENTS,
        topics.checks_requested: CHECKS_REQUESTED_EVENTS,
        topics.checks_completed: CHECKS_COMPLETED_EVENTS,
        topics.heartbeats: HEARTBEATS_EVENTS,
        topics.alerts: ALERTS_EVENTS,
    }
