"""The field rules channel configurations are made of (pure): each rule written once, here.

Every text is stripped, length-capped and refused if it holds NUL or another control character
(PostgreSQL refuses NUL; control characters have no business in an address or a URL).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from pulsecheck.shared.monitor_urls import MAX_URL_LENGTH, UnacceptableUrl, normalized_monitor_url

MAX_EMAIL_LENGTH = 254

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def _stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def refuse_control_characters(text: str) -> str:
    if any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text):
        raise ValueError("must not contain NUL or other control characters")
    return text


def _e164(text: str) -> str:
    if not _E164.match(text):
        raise ValueError("must be an E.164 phone number, e.g. +14155550100")
    return text


def _email(text: str) -> str:
    if not _EMAIL.match(text):
        raise ValueError("must be an email address")
    return text


def web_url(text: str) -> str:
    """An http(s) URL with scheme and host lower-cased, no credentials, no fragment: the one
    URL rule of the contracts (`shared.monitor_urls`), as a pydantic validator."""
    try:
        return normalized_monitor_url(text)
    except UnacceptableUrl as exc:
        raise ValueError(str(exc)) from exc


def _https(url: str) -> str:
    if not url.startswith("https://"):
        raise ValueError("must use https")
    return url


def _text(max_length: int) -> tuple[object, ...]:
    return (
        BeforeValidator(_stripped),
        Field(min_length=1, max_length=max_length),
        AfterValidator(refuse_control_characters),
    )


E164Number = Annotated[str, *_text(16), AfterValidator(_e164)]
EmailAddress = Annotated[str, *_text(MAX_EMAIL_LENGTH), AfterValidator(_email)]
WebUrl = Annotated[str, *_text(MAX_URL_LENGTH), AfterValidator(web_url)]
HttpsUrl = Annotated[str, *_text(MAX_URL_LENGTH), AfterValidator(web_url), AfterValidator(_https)]
SigningSecret = Annotated[
    str, Field(min_length=8, max_length=256), AfterValidator(refuse_control_characters)
]
