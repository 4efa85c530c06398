"""Email through Amazon SES v2 with boto3; `ses_endpoint_url` points it at moto in tests."""

from __future__ import annotations

import asyncio
import html
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from pulsecheck.channels.base import (
    AlertContext,
    ChannelTools,
    DeliveryResult,
    Message,
    retryable_status,
)
from pulsecheck.channels.email.settings import SesSettings, ses_client
from pulsecheck.channels.wording import details, headline
from pulsecheck.shared.events import ChannelConfigured


class EmailChannel:
    kind = "email"

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
            # SES's message may quote the address: status and error code only
            return DeliveryResult.failed(
                f"ses {status} {code}", retryable=throttled or retryable_status(status)
            )
        except BotoCoreError as exc:
            return DeliveryResult.failed(f"ses unreachable ({type(exc).__name__})", retryable=True)
        return DeliveryResult.delivered(str(response.get("MessageId")))


def build_email(tools: ChannelTools) -> EmailChannel:
    settings = SesSettings()
    return EmailChannel(ses_client(settings, tools.timeout_seconds), settings.ses_from_address)
