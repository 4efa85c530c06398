"""Slack through slack-sdk's incoming-webhook client; the channel's target is the webhook URL."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from slack_sdk.webhook import WebhookClient

from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.notifier.channels.base import (
    AlertContext,
    DeliveryResult,
    Message,
    retryable_status,
)
from pulsecheck.notifier.channels.wording import details, headline
from pulsecheck.shared.events import ChannelConfigured
from pulsecheck.shared.events.common import ChannelKind


class SlackChannel:
    kind: ChannelKind = "slack"

    def __init__(self, guard: TargetGuard, timeout_seconds: float = 10.0) -> None:
        self._guard = guard
        self._timeout = timeout_seconds

    def render(self, context: AlertContext, channel: ChannelConfigured, now: datetime) -> Message:
        title = headline(context)
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*"}},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": line} for line in details(context)[:-1]],
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open in PulseCheck"},
                        "url": context.page_url,
                    }
                ],
            },
        ]
        return Message(recipient=channel.target, subject=title, text=title, body={"blocks": blocks})

    async def send(self, message: Message) -> DeliveryResult:
        refusal = await self._guard.refusal(message.recipient)
        if refusal:
            return DeliveryResult.failed(refusal, retryable=False)
        return await asyncio.to_thread(self._send_blocking, message)

    def _send_blocking(self, message: Message) -> DeliveryResult:
        # our own retry policy applies, so the SDK's retry handlers are switched off
        client = WebhookClient(message.recipient, timeout=int(self._timeout), retry_handlers=[])
        try:
            response = client.send(text=message.text, blocks=message.body.get("blocks"))
        except OSError as exc:
            return DeliveryResult.failed(f"slack unreachable: {exc}", retryable=True)
        if response.status_code == 200:
            return DeliveryResult.delivered()
        return DeliveryResult.failed(
            f"slack {response.status_code}: {response.body[:200]}",
            retryable=retryable_status(response.status_code),
        )
