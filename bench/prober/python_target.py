"""Fallback target when nginx is absent: a minimal HTTP/HTTPS responder on uvloop."""

from __future__ import annotations

import asyncio
import ssl
import sys
from pathlib import Path

import uvloop
from targets import HTTP_PORT, HTTPS_PORT  # type: ignore[import-not-found]

ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Length: 24\r\nConnection: close\r\n\r\nall systems operational\n"
)


class Responder(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if b"\r\n\r\n" in data:
            self.transport.write(ANSWER)  # type: ignore[attr-defined]
            self.transport.close()


async def serve(work: Path) -> None:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(work / "cert.pem", work / "key.pem")
    loop = asyncio.get_running_loop()
    await loop.create_server(Responder, "127.0.0.1", HTTP_PORT, backlog=8192)
    await loop.create_server(Responder, "127.0.0.1", HTTPS_PORT, ssl=tls, backlog=8192)
    await asyncio.Event().wait()


if __name__ == "__main__":
    uvloop.run(serve(Path(sys.argv[1])))
