"""What a monitor's URL names: one row per scheme, the only list of target forms.

The scheme says how to reach the target (which protocol, which default port); `check_kinds`
says what to measure there. A certificate behind STARTTLS is a `tls` check of an `smtp://`,
`imap://`, `pop3://`, `ldap://` or `postgres://` URL, so every consumer that understands a
`tls` result (projector, notifier, subscribers) understands these without a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from pulsecheck.shared.events.common import CheckKind
from pulsecheck.shared.monitor_urls import (
    UnacceptableUrl,
    netloc_of,
    normalized_monitor_url,
    split_monitor_url,
)


@dataclass(frozen=True, slots=True)
class TargetScheme:
    kinds: frozenset[CheckKind]
    default_kinds: tuple[CheckKind, ...]
    # None with `takes_port`: the URL must name its port (a bare TCP service has no default)
    default_port: int | None
    takes_port: bool = True
    # the protocol spoken before the TLS handshake (None: TLS from the first byte)
    upgrade: str | None = None


_SERVICE: Final = frozenset[CheckKind]({"tls", "tcp"})

TARGET_SCHEMES: Final[dict[str, TargetScheme]] = {
    "http": TargetScheme(frozenset({"http", "tcp"}), ("http",), 80),
    "https": TargetScheme(frozenset({"http", "tls", "tcp"}), ("http", "tls"), 443),
    "tcp": TargetScheme(frozenset({"tcp"}), ("tcp",), None),
    "tls": TargetScheme(_SERVICE, ("tls",), 443),
    "smtp": TargetScheme(_SERVICE, ("tls",), 25, upgrade="smtp"),
    "imap": TargetScheme(_SERVICE, ("tls",), 143, upgrade="imap"),
    "pop3": TargetScheme(_SERVICE, ("tls",), 110, upgrade="pop3"),
    "ldap": TargetScheme(_SERVICE, ("tls",), 389, upgrade="ldap"),
    "postgres": TargetScheme(_SERVICE, ("tls",), 5432, upgrade="postgres"),
    "dns": TargetScheme(frozenset({"dns"}), ("dns",), None, takes_port=False),
    # a push monitor's name, e.g. heartbeat://nightly-backup: nothing is reached at it
    "heartbeat": TargetScheme(frozenset({"heartbeat"}), ("heartbeat",), None, takes_port=False),
}

_WEB = ("http", "https")
# RFC 1035 labels, plus "_" for service records such as _dmarc
_DNS_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")


def scheme_of(url: str) -> str:
    return url.partition("://")[0].lower()


def target_scheme(url: str) -> TargetScheme | None:
    return TARGET_SCHEMES.get(scheme_of(url))


def default_kinds(url: str | None) -> list[CheckKind]:
    """What a monitor of `url` checks when it does not say (a web site: page and certificate)."""
    scheme = target_scheme((url or "").strip())
    return list(scheme.default_kinds if scheme else TARGET_SCHEMES["https"].default_kinds)


def kind_problem(kind: CheckKind, url: str) -> str | None:
    """Why `kind` cannot be checked at `url`, or None."""
    scheme = target_scheme(url)
    if scheme is None or kind in scheme.kinds:
        return None
    if kind == "tls":
        return "a tls check needs an https URL, or a tls:// or STARTTLS (smtp://, …) one"
    if kind == "dns":
        return "a dns check needs a dns:// URL naming the record"
    if kind == "heartbeat":
        return "a heartbeat check needs a heartbeat:// URL naming the job"
    return f"a {kind} check cannot watch a {scheme_of(url)}:// URL"


def normalized_target(url: str) -> str:
    """The monitor URL with scheme and host lower-cased, or `UnacceptableUrl` saying why not."""
    text = url.strip()
    scheme = scheme_of(text) if "://" in text else ""
    if scheme and scheme not in TARGET_SCHEMES:
        raise UnacceptableUrl(f"unknown scheme {scheme!r}: one of {', '.join(TARGET_SCHEMES)}")
    if scheme in _WEB or not scheme:
        return normalized_monitor_url(text)
    rules = TARGET_SCHEMES[scheme]
    parts, port = split_monitor_url(text)
    if parts.username is not None or parts.password is not None:
        raise UnacceptableUrl("credentials in the URL are not allowed")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise UnacceptableUrl(f"a {scheme}:// URL is only scheme://host[:port]")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnacceptableUrl("the URL has no host")
    if not rules.takes_port:
        return f"{scheme}://{_record_name(scheme, host, port)}"
    if port is None and rules.default_port is None:
        raise UnacceptableUrl(f"a {scheme}:// URL must name its port, e.g. {scheme}://host:5000")
    if port is not None and not 1 <= port <= 65535:
        raise UnacceptableUrl("the port must be between 1 and 65535")
    return f"{scheme}://{netloc_of(host, port)}"


def _record_name(scheme: str, host: str, port: int | None) -> str:
    if port is not None and scheme == "dns":
        raise UnacceptableUrl("a dns:// URL names a record, not a port: set dns.nameserver_port")
    if port is not None:
        raise UnacceptableUrl(f"a {scheme}:// URL names a job, not a port")
    name = host.rstrip(".")
    labels = name.split(".")
    if len(name) > 253 or not all(_DNS_LABEL.match(label) for label in labels):
        if scheme == "dns":
            raise UnacceptableUrl("a dns:// URL must name a DNS record, e.g. dns://example.com")
        raise UnacceptableUrl(
            f"a {scheme}:// URL must name its job, e.g. {scheme}://nightly-backup"
        )
    return name
