"""Email through Amazon SES v2 with boto3; `endpoint_url` points it at moto in tests."""

from __future__ import annotations

import asyncio
import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from pulsecheck.notifier.channels.base import (
    AlertContext,
    DeliveryResult,
    Message,
    retryable_status,
)
from pulsecheck.notifier.channels.wording import details, headline
from pulsecheck.shared.events import ChannelConfigured
from pulsecheck.shared.events.common import ChannelKind


@dataclass(frozen=True)
class SesSettings:
    sender: str
    region: str = "us-east-1"
    # None in production: the SDK resolves the real SES endpoint of `region`
    endpoint_url: str | None = None
    timeout_seconds: float = 10.0


def ses_client(settings: SesSettings) -> Any:
    # credentials come from the environment (or the instance role), as boto3 always does;
    # retries are the notifier's own, so the SDK makes one attempt
    config = Config(
        connect_timeout=settings.timeout_seconds,
        read_timeout=settings.timeout_seconds,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    return boto3.client(
        "sesv2", region_name=settings.region, endpoint_url=settings.endpoint_url, config=config
    )


class EmailChannel:
    kind: ChannelKind = "email"

    def __init__(self, client: Any, sender: str) -> None:
        self._client = client
        self._sender = sender

    def render(self, context: AlertContext, channel: ChannelConfigured, now: datetime) -> Message:
        subject = headline(context)
        lines = details(context)
        text = "\n".join([subject, "", *lines, "", "— PulseCheck"])
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        body = (
            f"<html><body><h2>{html.escape(subject)}</h2><ul>{items}</ul>"
            f'<p><a href="{html.escape(context.page_url)}">Open in PulseCheck</a></p>'
            "</body></html>"
        )
        return Message(recipient=channel.target, subject=subject[:200], text=text, html=body)

    async def send(self, message: Message) -> DeliveryResult:
        return await asyncio.to_thread(self._send_blocking, message)

    def _send_blocking(self, message: Message) -> DeliveryResult:
        body: dict[str, Any] = {"Text": {"Data": message.text, "Charset": "UTF-8"}}
        if message.html:
            body["Html"] = {"Data": message.html, "Charset": "UTF-8"}
        try:
            response = self._client.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": [message.recipient]},
                Content={
                    "Simple": {
                        "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                        "Body": body,
                    }
                },
            )
        except ClientError as exc:
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
            code = exc.response.get("Error", {}).get("Code", "")
            throttled = code in {"TooManyRequestsException", "Throttling", "LimitExceededException"}
            return DeliveryResult.failed(
                f"ses {status} {code}: {exc}", retryable=throttled or retryable_status(status)
            )
        except BotoCoreError as exc:
            return DeliveryResult.failed(f"ses unreachable: {exc}", retryable=True)
        return DeliveryResult.delivered(str(response.get("MessageId")))
