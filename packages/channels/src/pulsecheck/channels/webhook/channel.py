"""A generic webhook: a signed JSON POST through the vetted transport (never redirected).

The receiver checks `X-PulseCheck-Signature: sha256=<hex>`, an HMAC-SHA256 with the channel's
secret over `<timestamp>.<body>`, and refuses a timestamp too far from its clock (replay).
After a rotation the header lists two, `sha256=<new>, sha256=<old>`, until the overlap ends, so
a receiver may switch secrets at any time within it (docs/webhooks.md).
`X-PulseCheck-Delivery` carries the delivery key so a receiver can drop a repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

import httpx

from pulsecheck.channels.base import AlertContext, ChannelTools, DeliveryResult, Message
from pulsecheck.channels.http_delivery import post
from pulsecheck.channels.wording import headline
from pulsecheck.shared.events import ChannelConfigured, ChannelTestRequested


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signing_secrets(channel: ChannelConfigured, now: datetime) -> tuple[str, ...]:
    """The current secret, and the previous one until its overlap ends (pure)."""
    current = (channel.secret,) if channel.secret else ()
    until = channel.previous_secret_until
    if channel.previous_secret and until is not None and now < until:
        return (*current, channel.previous_secret)
    return current


class WebhookChannel:
    kind = "webhook"

    def __init__(self, client: httpx.AsyncClient) -> None:
        # a client on `VettedTransport`: resolve once, vet, connect to the vetted address
        self._client = client

    def render(self, context: AlertContext, channel: ChannelConfigured, now: datetime) -> Message:
        notice = context.notice
        # a test is about no monitor: `monitor` is null and `type` names the test request
        monitor = None if isinstance(notice.alert, ChannelTestRequested) else {
            "id": notice.alert.monitor_id,
            "name": context.monitor_name,
            "url": context.monitor_url,
            "page": context.page_url,
        }  # fmt: skip
        document = {
            "event_id": notice.event_id,
            "type": notice.event_type,
            "transition": notice.transition,
            "delivery_key": context.delivery_key,
            "summary": headline(context),
            "monitor": monitor,
            "alert": notice.alert.model_dump(mode="json"),
        }
        timestamp = str(int(now.timestamp()))
        return Message(
            recipient=channel.target,
            subject=headline(context),
            text=json.dumps(document, separators=(",", ":"), sort_keys=True),
            body=document,
            headers={
                "X-PulseCheck-Timestamp": timestamp,
                "X-PulseCheck-Delivery": context.delivery_key,
                "X-PulseCheck-Event": notice.event_type,
            },
            secrets=signing_secrets(channel, now),
        )

    async def send(self, message: Message) -> DeliveryResult:
        body = message.text.encode()
        headers = {"Content-Type": "application/json", **message.headers}
        if message.secrets:
            timestamp = message.headers["X-PulseCheck-Timestamp"]
            headers["X-PulseCheck-Signature"] = ", ".join(
                signature(secret, timestamp, body) for secret in message.secrets
            )
        return await post(self._client, "webhook", message.recipient, body, headers)


def build_webhook(tools: ChannelTools) -> WebhookChannel:
    return WebhookChannel(tools.http)
