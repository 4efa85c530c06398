"""Tiny HTTP endpoint for workers: `/healthz` (liveness), `/readyz` (readiness), `/metrics`.

Liveness says whether the process is making progress (a stuck consumer, a silent timer, an
agent without partitions: restart me); readiness says whether it can do its work right now
(dependencies answered a real round trip, every consumer has its partitions, state restored:
send me traffic). Both are async probes so readiness can ask Kafka and PostgreSQL for real.
Nothing else is served on this port. Workers have no web framework; this keeps them that way.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST

log = logging.getLogger(__name__)

Verdict = tuple[bool, dict[str, Any]]
Probe = Callable[[], Awaitable[Verdict]]
"""Returns (ok, details shown in the body)."""

Problems = dict[str, Any]
"""What is wrong, by name; empty when nothing is."""

Exposition = Callable[[], bytes]
"""Returns the Prometheus text exposition."""

# a probe that does not answer within this is a failure, never a hang of the endpoint
PROBE_TIMEOUT_SECONDS = 5.0


def verdict(problems: Problems, **details: Any) -> Verdict:
    """Ok exactly when there is no problem; the problems come first in the body."""
    return not problems, ({"problems": problems} if problems else {}) | details


async def verdict_of(probe: Probe, within: float = PROBE_TIMEOUT_SECONDS) -> Verdict:
    """The probe's verdict; a probe that raises or hangs is a failing verdict with the reason."""
    try:
        async with asyncio.timeout(within):
            return await probe()
    except TimeoutError:
        return False, {"error": f"probe did not answer within {within:g} s"}
    except Exception as exc:  # a probe's failure is the answer, not a crash of the endpoint
        log.warning("health probe failed", exc_info=True)
        return False, {"error": f"{type(exc).__name__}: {exc}"[:300]}


def render(verdict: Verdict) -> tuple[str, str, bytes]:
    ok, details = verdict
    status = "200 OK" if ok else "503 Service Unavailable"
    return status, "application/json", json.dumps({"ok": ok, **details}, default=str).encode()


async def respond(
    path: str, liveness: Probe, readiness: Probe, exposition: Exposition
) -> tuple[str, str, bytes]:
    """The (status line, content type, body) for a request path."""
    path = path.split("?", 1)[0]
    if path == "/healthz":
        return render(await verdict_of(liveness))
    if path == "/readyz":
        return render(await verdict_of(readiness))
    if path == "/metrics":
        return "200 OK", CONTENT_TYPE_LATEST, exposition()
    return "404 Not Found", "application/json", b'{"detail":"not found"}'


class HealthServer:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        liveness: Probe,
        readiness: Probe,
        exposition: Exposition,
    ) -> None:
        self._host = host
        self._port = port
        self._liveness = liveness
        self._readiness = readiness
        self._exposition = exposition
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("health server not started")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self._host, self._port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = await asyncio.wait_for(reader.readline(), 5)
            while (await asyncio.wait_for(reader.readline(), 5)) not in (b"\r\n", b"\n", b""):
                pass
            parts = request_line.decode("latin-1").split()
            path = parts[1] if len(parts) >= 2 else ""
            status, content_type, body = await respond(
                path, self._liveness, self._readiness, self._exposition
            )
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()
