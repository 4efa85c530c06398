"""The one interface every channel implements: a pure `render` and an I/O `send`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import httpx

from pulsecheck.shared.events import (
    CertificateExpiring,
    ChannelConfigured,
    ChannelTestRequested,
    IncidentOpened,
    IncidentResolved,
)

# a test request is worded and sent like an alert, through the channel's own render and send
AlertPayload = IncidentOpened | IncidentResolved | CertificateExpiring | ChannelTestRequested


class NoticeFacts(Protocol):
    """What a channel reads of the notifier's notice (the notifier's `Notice` is one)."""

    @property
    def event_id(self) -> str: ...

    @property
    def transition(self) -> str: ...

    @property
    def alert(self) -> AlertPayload: ...

    @property
    def event_type(self) -> str: ...


@dataclass(frozen=True)
class AlertContext:
    """Everything a channel needs to word one notice for one monitor (for a test notice: the
    channel's name and its page)."""

    notice: NoticeFacts
    monitor_name: str
    monitor_url: str
    # the monitor's page in the dashboard, linked from rich messages
    page_url: str
    # names the delivery without naming the recipient (a keyed hash, see recipients.py)
    delivery_key: str


@dataclass(frozen=True)
class Message:
    """A rendered notification, ready for one channel's `send`."""

    recipient: str
    subject: str
    text: str
    html: str | None = None
    # structured body: Slack blocks, or the webhook's JSON document
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    # webhook signing secrets, in the clear: the current one, then the one before a rotation
    # while its overlap lasts
    secrets: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeliveryResult:
    ok: bool
    provider_message_id: str | None = None
    # status and class only: never a response body, never the recipient
    error: str | None = None
    # worth another attempt: a timeout, a connection error, 5xx or 429
    retryable: bool = False

    @classmethod
    def delivered(cls, provider_message_id: str | None = None) -> DeliveryResult:
        return cls(ok=True, provider_message_id=provider_message_id)

    @classmethod
    def failed(cls, error: str, *, retryable: bool) -> DeliveryResult:
        return cls(ok=False, error=error, retryable=retryable)


class Channel(Protocol):
    kind: str

    def render(self, context: AlertContext, channel: ChannelConfigured, now: datetime) -> Message:
        """Pure: the message this channel would send for the notice."""
        ...

    async def send(self, message: Message) -> DeliveryResult:
        """I/O: hand the message to the provider; never raises for a delivery failure."""
        ...


@dataclass(frozen=True)
class ChannelTools:
    """What building a channel may use: the vetted outbound HTTP client, the attempt timeout."""

    http: httpx.AsyncClient
    timeout_seconds: float


def retryable_status(status: int) -> bool:
    return status == 429 or status >= 500
