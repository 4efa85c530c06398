"""SMS through Twilio's official SDK; `base_url` redirects it to a stand-in in tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from pulsecheck.notifier.channels.base import (
    AlertContext,
    DeliveryResult,
    Message,
    retryable_status,
)
from pulsecheck.notifier.channels.wording import headline
from pulsecheck.shared.events import ChannelConfigured
from pulsecheck.shared.events.common import ChannelKind

SMS_LIMIT = 320


class RedirectingTwilioHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Sends what the SDK addresses to *.twilio.com to `base_url` instead (scheme and host)."""

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self._base = urlsplit(base_url)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        parts = urlsplit(url)
        if parts.hostname and parts.hostname.endswith("twilio.com"):
            url = urlunsplit(
                (self._base.scheme, self._base.netloc, parts.path, parts.query, parts.fragment)
            )
        response: Response = super().request(method, url, *args, **kwargs)
        return response


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str
    auth_token: str
    from_number: str
    # None in production: the SDK's own https://api.twilio.com
    base_url: str | None = None
    timeout_seconds: float = 10.0


def twilio_client(settings: TwilioSettings) -> Client:
    http_client = (
        RedirectingTwilioHttpClient(settings.base_url, settings.timeout_seconds)
        if settings.base_url
        else TwilioHttpClient(timeout=settings.timeout_seconds)
    )
    return Client(settings.account_sid, settings.auth_token, http_client=http_client)


class SmsChannel:
    kind: ChannelKind = "sms"

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
            return DeliveryResult.failed(
                f"twilio {exc.status}: {exc.msg}", retryable=retryable_status(exc.status)
            )
        except requests.RequestException as exc:
            return DeliveryResult.failed(f"twilio unreachable: {exc}", retryable=True)
        return DeliveryResult.delivered(str(sent.sid))
