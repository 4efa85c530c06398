"""One keep-alive HTTP/1.1 connection that sends a request and reads its answer, no more.

httpx spent 1.6 ms of CPU per ping on this machine, twice the server's whole work, and on 2
shared cores that time is inside every latency the bench measures; a job's `curl` in a
crontab costs nothing of the kind. This client parses only what the API answers (a status
line, headers with Content-Length, the body), and refuses anything else.
"""

from __future__ import annotations

import asyncio
from types import TracebackType


class LeanClient:
    def __init__(self, host: str, port: int) -> None:
        self._host = host
        self._port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> LeanClient:
        self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._writer is not None:
            self._writer.close()
            await self._writer.wait_closed()

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        """The status and body of `POST path`."""
        assert self._reader is not None and self._writer is not None, "not connected"
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self._host}:{self._port}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self._writer.write(head.encode("ascii") + body)
        answer = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = answer.decode("latin-1").split("\r\n")
        if not status_line.startswith("HTTP/1.1 "):
            raise ValueError(f"not an HTTP/1.1 answer: {status_line!r}")
        length = None
        for line in header_lines:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
        if length is None:
            raise ValueError("an answer without Content-Length")
        return int(status_line[9:12]), await self._reader.readexactly(length)
