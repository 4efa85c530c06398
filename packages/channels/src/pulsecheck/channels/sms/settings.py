"""Twilio's settings (PULSECHECK_TWILIO_*) and the SDK client built from them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client


class TwilioSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PULSECHECK_", extra="ignore")

    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr = SecretStr("")
    twilio_from_number: str = ""
    # unset in production (api.twilio.com); a stand-in's URL in tests
    twilio_base_url: str | None = None


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


def twilio_client(settings: TwilioSettings, timeout_seconds: float) -> Client:
    http_client = (
        RedirectingTwilioHttpClient(settings.twilio_base_url, timeout_seconds)
        if settings.twilio_base_url
        else TwilioHttpClient(timeout=timeout_seconds)
    )
    return Client(
        settings.twilio_account_sid,
        settings.twilio_auth_token.get_secret_value(),
        http_client=http_client,
    )
