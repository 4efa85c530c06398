"""The sites PulseCheck watches in the e2e tests: real HTTPS servers on 127.0.0.1 whose
certificates come from a test CA (trustme), one of which can be taken down and brought back."""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import trustme


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html><body>shop is open</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@dataclass
class TargetSite:
    """One HTTPS site; `go_down` closes its port (connections refused), `come_back` reopens it."""

    name: str
    tls: ssl.SSLContext
    port: int = 0
    _server: ThreadingHTTPServer | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/"

    @property
    def is_up(self) -> bool:
        return self._server is not None

    def come_back(self) -> TargetSite:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), _Page)
        server.daemon_threads = True
        server.socket = self.tls.wrap_socket(server.socket, server_side=True)
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def go_down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def site_with_certificate(ca: trustme.CA, name: str, expires_in: timedelta | None) -> TargetSite:
    """A running site for 127.0.0.1 whose certificate expires `expires_in` from now (None: the
    CA's default, years away)."""
    not_after = datetime.now(UTC) + expires_in if expires_in is not None else None
    certificate = ca.issue_cert("127.0.0.1", organization_name=name, not_after=not_after)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    return TargetSite(name, context).come_back()


def tls_context_for(
    ca: trustme.CA,
    identity: str = "127.0.0.1",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> ssl.SSLContext:
    """A server context (the Slack stand-in speaks HTTPS, as hooks.slack.com does) presenting a
    certificate for `identity`, valid from `not_before` to `not_after` (None: the CA's default)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf = ca.issue_cert(identity, not_before=not_before, not_after=not_after)
    leaf.configure_cert(context)
    return context
