"""The one interface every channel implements: a pure `render` and an I/O `send`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from pulsecheck.notifier.notices import Notice
from pulsecheck.shared.events import ChannelConfigured
from pulsecheck.shared.events.common import ChannelKind


@dataclass(frozen=True)
class AlertContext:
    """Everything a channel needs to word one notice for one monitor."""

    notice: Notice
    monitor_name: str
    monitor_url: str
    # the monitor's page in the dashboard, linked from rich messages
    page_url: str
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
    # webhook signing secret
    secret: str | None = None


@dataclass(frozen=True)
class DeliveryResult:
    ok: bool
    provider_message_id: str | None = None
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
    kind: ChannelKind

    def render(self, context: AlertContext, channel: ChannelConfigured, now: datetime) -> Message:
        """Pure: the message this channel would send for the notice."""
        ...

    async def send(self, message: Message) -> DeliveryResult:
        """I/O: hand the message to the provider; never raises for a delivery failure."""
        ...


def retryable_status(status: int) -> bool:
    return status == 429 or status >= 500
