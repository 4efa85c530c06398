"""One HTTP/1.1 request and its response on a fresh connection to a vetted address, body
capped; over TLS, a session of the same target is offered for resumption when one is kept."""

from __future__ import annotations

import asyncio
import functools
import re
import ssl
from dataclasses import dataclass

from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.checks.http_protocol import ExchangeProtocol
from pulsecheck.checks.outbound import VettedTarget
from pulsecheck.checks.tls_sessions import SessionKey, TlsSessionCache
from pulsecheck.shared.events import ErrorKind

TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# what may not appear in a request target or a header value: it would split the request
UNSAFE_TARGET = re.compile(r"[\x00-\x20\x7f]")
UNSAFE_VALUE = re.compile(r"[\x00\r\n]")


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    # the body was longer than the cap; `body` holds its first `cap` bytes
    truncated: bool
    first_byte_ms: float

    def header(self, name: bytes) -> bytes | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key == wanted), None)


@dataclass
class HopTimings:
    connect_ms: float | None = None
    tls_ms: float | None = None
    first_byte_ms: float | None = None
    # None: plain HTTP; False: a full handshake; True: a kept session was resumed
    tls_resumed: bool | None = None


@dataclass(frozen=True)
class TlsDial:
    """How an https:// hop does TLS: the verifying context, the name it checks (SNI), and the
    sessions kept for resumption (None: always a full handshake)."""

    context: ssl.SSLContext
    server_hostname: str
    sessions: TlsSessionCache | None = None


def request_bytes(method: str, resource: str, headers: list[tuple[str, str]]) -> bytes:
    """The request head (no body), refused when a part could smuggle a second request."""
    if not TOKEN.fullmatch(method) or not resource or UNSAFE_TARGET.search(resource):
        raise ProbeFailure(ErrorKind.PROTOCOL, f"cannot send this request: {method} {resource!r}")
    lines = [f"{method} {resource} HTTP/1.1"]
    for name, value in headers:
        if not TOKEN.fullmatch(name) or UNSAFE_VALUE.search(value):
            raise ProbeFailure(ErrorKind.PROTOCOL, f"cannot send this request: header {name!r}")
        lines.append(f"{name}: {value}")
    try:
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    except UnicodeEncodeError as exc:
        raise ProbeFailure(ErrorKind.PROTOCOL, f"cannot send this request: {exc}") from exc


async def exchange(
    target: VettedTarget,
    tls: TlsDial | None,
    method: str,
    request: bytes,
    cap: int,
    timings: HopTimings,
) -> HttpResponse:
    """Connect to the first vetted address that accepts, send `request`, read the response;
    reading stops at `cap` body bytes. `timings` fills in as the phases complete."""
    loop = asyncio.get_running_loop()
    last_error: OSError | None = None
    for address in target.addresses:
        key: SessionKey = (tls.server_hostname if tls else "", str(address), target.port)
        protocol = _protocol(tls, key, request, cap, method == "HEAD")
        started = loop.time()
        try:
            # a literal address: the loop connects without calling the resolver again
            transport, _ = await loop.create_connection(
                functools.partial(_same, protocol), str(address), target.port
            )
        except OSError as exc:
            last_error = exc
            continue
        try:
            timings.connect_ms = (protocol.connected_at - started) * 1000
            await protocol.done
        except BaseException:
            if tls is not None and tls.sessions is not None:
                tls.sessions.forget(key)
            raise
        finally:
            # a probe never reuses a connection: drop it without a graceful TLS shutdown
            transport.abort()
            _tls_timings(protocol, timings)
        if tls is not None and tls.sessions is not None:
            _keep_session(tls.sessions, key, protocol, loop.time())
        timings.first_byte_ms = (protocol.first_byte_at - protocol.sent_at) * 1000
        return HttpResponse(
            status=protocol.status,
            headers=tuple(protocol.headers),
            body=bytes(protocol.body),
            truncated=protocol.truncated,
            first_byte_ms=timings.first_byte_ms,
        )
    assert last_error is not None, "a vetted target has at least one address"
    raise last_error


def _same(protocol: ExchangeProtocol) -> ExchangeProtocol:
    return protocol


def _protocol(
    tls: TlsDial | None, key: SessionKey, request: bytes, cap: int, head_only: bool
) -> ExchangeProtocol:
    if tls is None:
        return ExchangeProtocol(request, cap, head_only, None)
    session = tls.sessions.get(key) if tls.sessions is not None else None
    return ExchangeProtocol.over_tls(
        request, cap, head_only, tls.context, tls.server_hostname, session
    )


def _keep_session(
    sessions: TlsSessionCache, key: SessionKey, protocol: ExchangeProtocol, now: float
) -> None:
    ssl_object = protocol.ssl_object
    # a resumed session stays the kept one (OpenSSL servers accept a ticket until it expires)
    if ssl_object is None or ssl_object.session_reused:
        return
    if sessions.worth_reading(key, now):
        # read after the response: TLS 1.3 tickets arrive after the handshake
        sessions.keep(key, ssl_object.session, now)


def _tls_timings(protocol: ExchangeProtocol, timings: HopTimings) -> None:
    ssl_object = protocol.ssl_object
    if ssl_object is None or not protocol.handshaken:
        return
    timings.tls_ms = (protocol.handshaken_at - protocol.connected_at) * 1000
    timings.tls_resumed = ssl_object.session_reused
