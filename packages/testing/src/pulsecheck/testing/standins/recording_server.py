"""A tiny threaded HTTP server on 127.0.0.1 that records every request and answers by a rule."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    delay_seconds: float = 0.0


Responder = Callable[[Received, int], Reply]


@dataclass
class RecordingServer:
    """Answers with `responder(request, index)`; `received` keeps every request in order."""

    responder: Responder
    received: list[Received] = field(default_factory=list)
    # serve HTTPS with this context (e.g. a trustme certificate) instead of plain HTTP
    tls: ssl.SSLContext | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host!s}:{port}"

    def fail_next(self, count: int, status: int) -> None:
        """The next `count` requests get `status` (after being recorded)."""
        original = self.responder
        remaining = [count]

        def failing(request: Received, index: int) -> Reply:
            with self._lock:
                if remaining[0] > 0:
                    remaining[0] -= 1
                    return Reply(status, b'{"error":"stand-in told to fail"}')
            return original(request, index)

        self.responder = failing

    def start(self) -> RecordingServer:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Received(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                    time.monotonic(),
                )
                with recorder._lock:
                    recorder.received.append(request)
                    index = len(recorder.received) - 1
                reply = recorder.responder(request, index)
                if reply.delay_seconds:
                    time.sleep(reply.delay_seconds)
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if self.tls is not None:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> RecordingServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
