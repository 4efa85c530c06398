"""One HTTP/1.1 request and response on an asyncio Protocol: httptools (llhttp, C) parses,
and TLS runs over memory BIOs so a cached session can be offered for resumption.

Measured against asyncio streams + h11 (the earlier exchange), see bench/prober/README.md.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import cast

import httptools

from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.shared.events import ErrorKind

READ_CHUNK = 64 * 1024


class ExchangeProtocol(asyncio.Protocol):
    """Sends `request` once connected (after the handshake, with `tls`), then reads one
    response; `done` resolves when it is complete, `cap` body bytes were read, or it failed."""

    def __init__(self, request: bytes, cap: int, head_only: bool, tls: ssl.SSLObject | None):
        self._loop = asyncio.get_running_loop()
        self.done: asyncio.Future[None] = self._loop.create_future()
        self._request = request
        self._cap = cap
        self._head_only = head_only
        self._tls = tls
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self.handshaken = tls is None
        self.connected_at = self.handshaken_at = self.sent_at = self.first_byte_at = 0.0
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = bytearray()
        self.truncated = False
        self._headers_complete = False

    @classmethod
    def over_tls(
        cls,
        request: bytes,
        cap: int,
        head_only: bool,
        context: ssl.SSLContext,
        server_hostname: str,
        session: ssl.SSLSession | None,
    ) -> ExchangeProtocol:
        protocol = cls(request, cap, head_only, None)
        protocol._tls = context.wrap_bio(
            protocol._incoming, protocol._outgoing, server_hostname=server_hostname, session=session
        )
        protocol.handshaken = False
        return protocol

    @property
    def ssl_object(self) -> ssl.SSLObject | None:
        return self._tls

    # transport events

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's TCP transport is a Transport in all but name (no subclass of it)
        self._transport = cast(asyncio.Transport, transport)
        self.connected_at = self._loop.time()
        if self._tls is None:
            self._send()
        else:
            self._handshake()

    def data_received(self, data: bytes) -> None:
        if self.done.done():
            return
        if self._tls is None:
            self._feed(data)
            return
        self._incoming.write(data)
        if not self.handshaken:
            self._handshake()
        if self.handshaken:
            self._read_tls()

    def eof_received(self) -> bool:
        if self._tls is not None and not self.done.done():
            if not self.handshaken:
                # what start_tls reported before: a lost connection, not a TLS verdict
                self._fail(ConnectionResetError("connection closed during the TLS handshake"))
                return False
            self._incoming.write_eof()
            self._read_tls()
        self._at_eof()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is not None:
            self._fail(exc)
        else:
            self._at_eof()

    # TLS over memory BIOs

    def _handshake(self) -> None:
        assert self._tls is not None
        try:
            self._tls.do_handshake()
        except ssl.SSLWantReadError:
            self._flush()
            return
        except Exception as exc:
            self._fail(exc)
            return
        self.handshaken = True
        self.handshaken_at = self._loop.time()
        self._send()

    def _read_tls(self) -> None:
        assert self._tls is not None
        while not self.done.done():
            try:
                chunk = self._tls.read(READ_CHUNK)
            except ssl.SSLWantReadError:
                break
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                self._at_eof()
                return
            except ssl.SSLError as exc:
                self._fail(exc)
                return
            if not chunk:
                self._at_eof()
                return
            self._feed(chunk)
        self._flush()

    def _flush(self) -> None:
        pending = self._outgoing.read()
        if pending and self._transport is not None:
            self._transport.write(pending)

    def _send(self) -> None:
        assert self._transport is not None
        self.sent_at = self._loop.time()
        if self._tls is None:
            self._transport.write(self._request)
        else:
            self._tls.write(self._request)
            self._flush()

    # HTTP

    def _feed(self, data: bytes) -> None:
        if not self.first_byte_at:
            self.first_byte_at = self._loop.time()
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserCallbackError:
            pass  # a callback stopped the parser on purpose (cap reached): `done` is set
        except httptools.HttpParserError as exc:
            self._fail(ProbeFailure(ErrorKind.PROTOCOL, f"invalid HTTP response: {exc}"))

    def _at_eof(self) -> None:
        if self.done.done():
            return
        if not self._headers_complete:
            self._fail(ProbeFailure(ErrorKind.PROTOCOL, "connection closed before a response"))
        elif self._framed():
            self._fail(ProbeFailure(ErrorKind.PROTOCOL, "connection closed mid-body"))
        else:
            self.done.set_result(None)  # the body ran to the end of the connection

    def _framed(self) -> bool:
        """The response said where its body ends (length or chunks), so EOF before is short."""
        return any(name in (b"content-length", b"transfer-encoding") for name, _ in self.headers)

    def _fail(self, exc: BaseException) -> None:
        if not self.done.done():
            self.done.set_exception(exc)

    # httptools callbacks

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name.lower(), value))

    def on_headers_complete(self) -> bool | None:
        self.status = self._parser.get_status_code()
        if 100 <= self.status < 200 and self.status != 101:
            # an interim response (100 Continue): the real one follows
            self.headers = []
            return None
        self._headers_complete = True
        if self._head_only:
            self.done.set_result(None)
            raise StopParsing  # a HEAD answer's length describes a body never sent
        return None

    def on_body(self, body: bytes) -> None:
        if self.done.done():
            return
        self.body += body
        if len(self.body) > self._cap:
            del self.body[self._cap :]
            self.truncated = True
            self.done.set_result(None)
            raise StopParsing

    def on_message_complete(self) -> None:
        if self._headers_complete and not self.done.done():
            self.done.set_result(None)


class StopParsing(Exception):
    """Raised from a callback to stop httptools once the response has what it needs."""
