"""Slack incoming webhooks: a JSON POST of text and blocks through the vetted transport.

Sent with httpx rather than slack-sdk's `WebhookClient`: the SDK posts through urllib, which
follows redirects and does its own DNS lookup, so it cannot be held to the vetted address.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx

from pulsecheck.channels.base import AlertContext, ChannelTools, DeliveryResult, Message
from pulsecheck.channels.http_delivery import post
from pulsecheck.channels.wording import details, headline
from pulsecheck.shared.events import ChannelConfigured


class SlackChannel:
    kind = "slack"

    def __init__(self, client: httpx.AsyncClient) -> None:
        # a client on `VettedTransport`: resolve once, vet, connect to the vetted address
        self._client = client

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
        body = json.dumps({"text": message.text, "blocks": message.body.get("blocks")}).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        return await post(self._client, "slack", message.recipient, body, headers)


def build_slack(tools: ChannelTools) -> SlackChannel:
    return SlackChannel(tools.http)
