"""Where each kind of channel may point, and how a target is shown without revealing it."""

from __future__ import annotations

import re

from pulsecheck.shared.monitor_urls import UnacceptableUrl, normalized_monitor_url

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def checked_target(kind: str, target: str) -> str:
    """The target as it will be published, or ValueError saying what is wrong."""
    text = target.strip()
    if kind == "sms":
        if not _E164.match(text):
            raise ValueError("an sms target must be an E.164 phone number, e.g. +14155550100")
        return text
    if kind == "email":
        if not _EMAIL.match(text) or len(text) > 254:
            raise ValueError("an email target must be an email address")
        return text
    try:
        url = normalized_monitor_url(text)
    except UnacceptableUrl as exc:
        raise ValueError(f"a {kind} target must be a URL: {exc}") from exc
    if kind == "slack" and not url.startswith("https://"):
        raise ValueError("a Slack webhook URL must use https")
    return url


def masked_target(kind: str, target: str) -> str:
    """Phone numbers and addresses as they are; webhook URLs, which are secrets, cut short."""
    if kind in ("sms", "email"):
        return target
    scheme, _, rest = target.partition("://")
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}/…{target[-4:]}" if len(rest) > len(host) + 5 else target
