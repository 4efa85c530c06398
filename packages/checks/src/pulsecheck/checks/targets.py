"""Reading a request's `target` into what a check connects to (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.shared.events import ErrorKind
from pulsecheck.shared.events.targets import TARGET_SCHEMES

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class HttpTarget:
    scheme: str
    host: str
    port: int
    # path and query, as sent in the request line
    resource: str

    @property
    def url(self) -> str:
        default = DEFAULT_PORTS[self.scheme] == self.port
        return f"{self.scheme}://{self.authority(with_port=not default)}{self.resource}"

    def authority(self, *, with_port: bool) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if with_port else host

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)

    @property
    def host_header(self) -> str:
        return self.authority(with_port=DEFAULT_PORTS[self.scheme] != self.port)


def _split(text: str) -> SplitResult:
    try:
        parts = urlsplit(text.strip())
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise ProbeFailure(ErrorKind.PROTOCOL, f"malformed target {text!r}: {exc}") from exc
    return parts


# pure, and every check of a monitor parses the same URL again (a frozen result; a refusal
# raises, uncached, each time)
@lru_cache(maxsize=8192)
def parse_http_target(url: str) -> HttpTarget:
    parts = _split(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ProbeFailure(ErrorKind.PROTOCOL, f"unsupported URL scheme in {url!r}")
    if not parts.hostname:
        raise ProbeFailure(ErrorKind.PROTOCOL, f"no host in {url!r}")
    resource = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return HttpTarget(scheme, parts.hostname, parts.port or DEFAULT_PORTS[scheme], resource)


def parse_host_port(target: str, default_port: int) -> tuple[str, int]:
    """Host and port from "https://host[:port]/…", "smtp://host[:port]", "host:port",
    "[v6]:port" or "host"; a missing port is the scheme's (the contract's table), else
    `default_port`."""
    parts = _split(target if "://" in target else f"//{target}")
    if not parts.hostname:
        raise ProbeFailure(ErrorKind.PROTOCOL, f"no host in {target!r}")
    scheme = TARGET_SCHEMES.get(parts.scheme.lower())
    return parts.hostname, parts.port or (scheme and scheme.default_port) or default_port
