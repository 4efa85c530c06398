"""One HTTP/1.1 request and its response over an open connection, with h11, body capped."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import h11

from pulsecheck.checks.connection import OpenConnection
from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.shared.events import ErrorKind

READ_CHUNK = 64 * 1024


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


async def exchange(
    connection: OpenConnection, method: str, resource: str, headers: list[tuple[str, str]], cap: int
) -> HttpResponse:
    """Send the request, read the response; reading stops at `cap` body bytes."""
    loop = asyncio.get_running_loop()
    parser = h11.Connection(h11.CLIENT)
    sent = loop.time()
    try:
        head = parser.send(h11.Request(method=method, target=resource, headers=headers))
        connection.writer.write((head or b"") + (parser.send(h11.EndOfMessage()) or b""))
    except h11.LocalProtocolError as exc:
        raise ProbeFailure(ErrorKind.PROTOCOL, f"cannot send this request: {exc}") from exc
    first_byte_ms: float | None = None
    response: h11.Response | None = None
    body = bytearray()
    while True:
        try:
            event = parser.next_event()
        except h11.RemoteProtocolError as exc:
            raise ProbeFailure(ErrorKind.PROTOCOL, f"invalid HTTP response: {exc}") from exc
        if event is h11.NEED_DATA:
            data = await connection.reader.read(READ_CHUNK)
            if first_byte_ms is None:
                first_byte_ms = (loop.time() - sent) * 1000
            parser.receive_data(data)
        elif isinstance(event, h11.Response):
            response = event
        elif isinstance(event, h11.Data):
            body += event.data
            if len(body) > cap:
                assert response is not None
                return _response(response, bytes(body[:cap]), True, first_byte_ms)
        elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
            if response is None:
                raise ProbeFailure(ErrorKind.PROTOCOL, "connection closed before a response")
            return _response(response, bytes(body), False, first_byte_ms)


def _response(
    response: h11.Response, body: bytes, truncated: bool, first_byte_ms: float | None
) -> HttpResponse:
    return HttpResponse(
        status=response.status_code,
        headers=tuple((bytes(k), bytes(v)) for k, v in response.headers),
        body=body,
        truncated=truncated,
        first_byte_ms=first_byte_ms or 0.0,
    )
