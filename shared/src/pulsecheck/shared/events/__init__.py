"""Version-1 event contracts and their CloudEvents codec."""

from pulsecheck.shared.events.alerts import (
    CertificateExpiring,
    IncidentOpened,
    IncidentResolved,
    NotificationFailed,
    NotificationSent,
)
from pulsecheck.shared.events.channels import (
    NO_MONITOR,
    ChannelConfigured,
    ChannelRemoved,
    ChannelTestRequested,
)
from pulsecheck.shared.events.checks import (
    CheckCompleted,
    CheckRequested,
    CheckSkipped,
    TlsResult,
    UptimeResult,
    request_id_for,
)
from pulsecheck.shared.events.common import (
    AlertRules,
    CheckError,
    ErrorKind,
    HttpCheckOptions,
    StatusRange,
)
from pulsecheck.shared.events.envelope import (
    DecodeError,
    Envelope,
    decode,
    decode_expecting,
    deterministic_event_id,
    encode,
    new_envelope,
)
from pulsecheck.shared.events.heartbeats import (
    HeartbeatOptions,
    HeartbeatPinged,
    HeartbeatResult,
)
from pulsecheck.shared.events.monitor_rules import (
    InvalidSpec,
    SpecProblem,
    spec_problems,
    validated_spec,
)
from pulsecheck.shared.events.monitors import (
    MonitorConfiguration,
    MonitorRegistered,
    MonitorRemoved,
    MonitorSpec,
    MonitorUpdated,
)
from pulsecheck.shared.events.registry import EVENT_MODELS, Event

__all__ = [
    "EVENT_MODELS",
    "NO_MONITOR",
    "AlertRules",
    "CertificateExpiring",
    "ChannelConfigured",
    "ChannelRemoved",
    "ChannelTestRequested",
    "CheckCompleted",
    "CheckError",
    "CheckRequested",
    "CheckSkipped",
    "DecodeError",
    "Envelope",
    "ErrorKind",
    "Event",
    "HeartbeatOptions",
    "HeartbeatPinged",
    "HeartbeatResult",
    "HttpCheckOptions",
    "IncidentOpened",
    "IncidentResolved",
    "InvalidSpec",
    "MonitorConfiguration",
    "MonitorRegistered",
    "MonitorRemoved",
    "MonitorSpec",
    "MonitorUpdated",
    "NotificationFailed",
    "NotificationSent",
    "SpecProblem",
    "StatusRange",
    "TlsResult",
    "UptimeResult",
    "decode",
    "decode_expecting",
    "deterministic_event_id",
    "encode",
    "new_envelope",
    "request_id_for",
    "spec_problems",
    "validated_spec",
]
