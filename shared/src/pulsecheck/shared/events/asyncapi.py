"""The AsyncAPI 3.0 document of the public topics, built from the contract models.

The event-driven counterpart of the OpenAPI document: which topic carries which events, each
a CloudEvents 1.0 envelope (structured mode) whose `data` is the event's model. Written next
to the JSON Schemas by `pulsecheck-export-schemas`; a test fails when it drifts.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from pulsecheck.shared.events.alerts import (
    CertificateExpiring,
    IncidentOpened,
    IncidentResolved,
    NotificationFailed,
    NotificationSent,
)
from pulsecheck.shared.events.checks import CheckCompleted, CheckRequested, CheckSkipped
from pulsecheck.shared.events.common import Contract
from pulsecheck.shared.events.envelope import CloudEvent
from pulsecheck.shared.events.heartbeats import HeartbeatPinged
from pulsecheck.shared.events.monitors import MonitorRegistered, MonitorRemoved, MonitorUpdated
from pulsecheck.shared.kafka.deadletter import DeadLetterRecord
from pulsecheck.shared.topics import Topics

VERSION: Final = "1.0.0"
_SCHEMAS: Final = "#/components/schemas/"

# channel id -> (what it carries, the events producers write to it today)
_PUBLIC_CHANNELS: Final[dict[str, tuple[str, tuple[type[Contract], ...]]]] = {
    "monitors": (
        "Monitor specs, keyed by monitor id; compacted, a tombstone follows MonitorRemoved.",
        (MonitorRegistered, MonitorUpdated, MonitorRemoved),
    ),
    "checksRequested": (
        "Checks the scheduler asks the probers to run, keyed by monitor id.",
        (CheckRequested,),
    ),
    "checksCompleted": (
        "Results of the checks (or why one was skipped), keyed by monitor id.",
        (CheckCompleted, CheckSkipped),
    ),
    "heartbeats": (
        "Pings of heartbeat monitors as the API received them, keyed by monitor id; the "
        "scheduler judges them and reports on checksCompleted.",
        (HeartbeatPinged,),
    ),
    "alerts": (
        "Incidents, certificate warnings and what became of each notification.",
        (
            IncidentOpened,
            IncidentResolved,
            CertificateExpiring,
            NotificationSent,
            NotificationFailed,
        ),
    ),
}


def _addresses(topics: Topics) -> dict[str, str]:
    return {
        "monitors": topics.monitors,
        "checksRequested": topics.checks_requested,
        "checksCompleted": topics.checks_completed,
        "heartbeats": topics.heartbeats,
        "alerts": topics.alerts,
        "deadletter": topics.deadletter,
    }


def asyncapi_document(topics: Topics | None = None) -> dict[str, Any]:
    addresses = _addresses(topics or Topics())
    events = [model for _, models in _PUBLIC_CHANNELS.values() for model in models]
    models: list[type[BaseModel]] = [CloudEvent, DeadLetterRecord, *events]
    _, definitions = models_json_schema(
        [(model, "serialization") for model in models], ref_template=_SCHEMAS + "{model}"
    )
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for channel_id, (description, carried) in _PUBLIC_CHANNELS.items():
        names = [model.__name__ for model in carried]
        for model in carried:
            messages[model.__name__] = _event_message(model)
        _channel(channels, operations, channel_id, addresses[channel_id], description, names)
    messages["DeadLetter"] = {
        "name": "DeadLetter",
        "title": "A record no consumer could read, with why",
        "contentType": "application/json",
        "payload": {"$ref": _SCHEMAS + "DeadLetterRecord"},
    }
    _channel(
        channels,
        operations,
        "deadletter",
        addresses["deadletter"],
        "Records a consumer could not decode or apply, kept for inspection and replay.",
        ["DeadLetter"],
    )
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "PulseCheck events",
            "version": VERSION,
            "description": (
                "Public topics of PulseCheck. Every event is a CloudEvents 1.0 JSON envelope "
                "whose `type` names the event and its version; subscribers skip types they do "
                "not know. Names shown are the default ones (no topic prefix)."
            ),
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": definitions["$defs"]},
    }


def _channel(
    channels: dict[str, Any],
    operations: dict[str, Any],
    channel_id: str,
    address: str,
    description: str,
    message_names: list[str],
) -> None:
    channels[channel_id] = {
        "address": address,
        "description": description,
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in message_names},
    }
    # a subscriber's view: PulseCheck's own services produce, everyone else receives
    operations[f"receive{channel_id[0].upper()}{channel_id[1:]}"] = {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{channel_id}"},
        "messages": [
            {"$ref": f"#/channels/{channel_id}/messages/{name}"} for name in message_names
        ],
    }


def _event_message(model: type[Contract]) -> dict[str, Any]:
    event_type: str = getattr(model, "EVENT_TYPE")  # noqa: B009
    return {
        "name": model.__name__,
        "title": event_type,
        "contentType": "application/cloudevents+json",
        "payload": {
            "allOf": [
                {"$ref": _SCHEMAS + "CloudEvent"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": event_type},
                        "data": {"$ref": _SCHEMAS + model.__name__},
                    },
                },
            ]
        },
    }
