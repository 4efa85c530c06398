"""What a monitored URL must look like, checked before anything is published."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit, urlunsplit

MAX_URL_LENGTH = 2048
# `\s` is `str.isspace()`; with C0 controls and DEL: one search instead of a loop per character
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


class UnacceptableUrl(ValueError):
    pass


def split_monitor_url(text: str) -> tuple[SplitResult, int | None]:
    """The URL's parts and port, or `UnacceptableUrl` for its length, characters or syntax."""
    if len(text) > MAX_URL_LENGTH:
        raise UnacceptableUrl(f"the URL is longer than {MAX_URL_LENGTH} characters")
    if _SPACE_OR_CONTROL.search(text):
        raise UnacceptableUrl("the URL contains whitespace or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UnacceptableUrl(f"the URL cannot be parsed: {exc}") from exc
    return parts, port


def netloc_of(host: str, port: int | None) -> str:
    """`host[:port]`, an IPv6 host in brackets."""
    netloc = f"[{host}]" if ":" in host else host
    return netloc if port is None else f"{netloc}:{port}"


def normalized_monitor_url(url: str) -> str:
    """The URL with scheme and host lower-cased, or `UnacceptableUrl` saying what is wrong."""
    text = url.strip()
    if not text:
        raise UnacceptableUrl("the URL is empty")
    parts, port = split_monitor_url(text)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnacceptableUrl("only http and https URLs can be monitored")
    if parts.username is not None or parts.password is not None:
        raise UnacceptableUrl("credentials in the URL are not allowed")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnacceptableUrl("the URL has no host")
    if port is not None and not 1 <= port <= 65535:
        raise UnacceptableUrl("the port must be between 1 and 65535")
    if parts.fragment:
        raise UnacceptableUrl("the URL must not carry a fragment")
    return urlunsplit((scheme, netloc_of(host, port), parts.path or "/", parts.query, ""))


def tls_check_url(url: str) -> str:
    """An https URL to check the certificate of: a bare "host[:port]" reads as https."""
    text = url.strip()
    if text and "://" not in text:
        text = f"https://{text}"
    normalized = normalized_monitor_url(text)
    if not normalized.startswith("https://"):
        raise UnacceptableUrl("a certificate check needs an https URL (or a bare host name)")
    return normalized
