"""SMS through Twilio's official SDK; `twilio_base_url` points it at a stand-in in tests."""

from __future__ import annotations

import asyncio
from datetime import datetime

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from pulsecheck.channels.base import (
    AlertContext,
    ChannelTools,
    DeliveryResult,
    Message,
    retryable_status,
)
from pulsecheck.channels.sms.settings import TwilioSettings, twilio_client
from pulsecheck.channels.wording import headline
from pulsecheck.shared.events import ChannelConfigured

SMS_LIMIT = 320


class SmsChannel:
    kind = "sms"

    def __init__(self, client: Client, from_number: str) -> None:
        self._client = client
        self._from = from_number

    def render(self, context: AlertContext, channel: ChannelConfigured, now: datetime) -> Message:
        text = headline(context)
        if len(text) > SMS_LIMIT:
            text = text[: SMS_LIMIT - 1] + "…"
        return Message(recipient=channel.target, subject=text, text=text)

    async def send(self, message: Message) -> DeliveryResult:
        return await asyncio.to_thread(self._send_blocking, message)

    def _send_blocking(self, message: Message) -> DeliveryResult:
        try:
            sent = self._client.messages.create(
                to=message.recipient, from_=self._from, body=message.text
            )
        except TwilioRestException as exc:
            # Twilio's message may quote the phone number: status and error code only
            return DeliveryResult.failed(
                f"twilio {exc.status} (code {exc.code})", retryable=retryable_status(exc.status)
            )
        except requests.RequestException as exc:
            return DeliveryResult.failed(
                f"twilio unreachable ({type(exc).__name__})", retryable=True
            )
        return DeliveryResult.delivered(str(sent.sid))


def build_sms(tools: ChannelTools) -> SmsChannel:
    settings = TwilioSettings()
    return SmsChannel(twilio_client(settings, tools.timeout_seconds), settings.twilio_from_number)
