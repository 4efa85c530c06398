"""The vetted transport: refuses what the guard refuses, dials the vetted address, keeps Host."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.checks.vetted_transport import OutboundRefused, VettedTransport, vetted_client
from pulsecheck.shared.target_safety import AllowList


class StaticResolver:
    """Answers from a table: no DNS query leaves the test."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    async def resolve(self, host: str, port: int) -> Sequence[str]:
        self.asked.append(host)
        return self.answers[host]


def recorded(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    "address",
    ["169.254.169.254", "10.0.0.5", "192.168.1.1", "::ffff:10.0.0.1", "fd00::1", "127.0.0.1"],
)
async def test_refused_addresses_are_never_dialled(address: str) -> None:
    seen: list[httpx.Request] = []
    guard = TargetGuard(resolver=StaticResolver({"hooks.example.test": [address]}))
    async with httpx.AsyncClient(transport=VettedTransport(guard, recorded(seen))) as client:
        with pytest.raises(OutboundRefused) as refused:
            await client.post("https://hooks.example.test/x", content=b"{}")
    assert seen == []
    assert address not in str(refused.value)


async def test_the_vetted_address_is_dialled_with_host_and_sni_kept() -> None:
    seen: list[httpx.Request] = []
    resolver = StaticResolver({"hooks.example.test": ["93.184.216.34"]})
    transport = VettedTransport(TargetGuard(resolver=resolver), recorded(seen))
    async with httpx.AsyncClient(transport=transport) as client:
        response = await client.post("https://hooks.example.test:8443/x?y=1", content=b"{}")
    assert response.status_code == 204
    assert resolver.asked == ["hooks.example.test"]
    assert str(seen[0].url) == "https://93.184.216.34:8443/x?y=1"
    assert seen[0].headers["host"] == "hooks.example.test:8443"
    assert seen[0].extensions["sni_hostname"] == "hooks.example.test"


@contextmanager
def host_echo() -> Iterator[int]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = (self.headers.get("Host") or "").encode()
            self.send_response(302 if self.path == "/redirect" else 200)
            self.send_header("Location", "http://127.0.0.2/elsewhere")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


async def test_a_name_only_the_guard_knows_reaches_loopback_once_and_no_redirect() -> None:
    resolver = StaticResolver({"hooks.example.test": ["127.0.0.1"]})
    guard = TargetGuard(AllowList.from_entries(["127.0.0.1/32"]), resolver)
    with host_echo() as port:
        async with vetted_client(guard, 2) as client:
            answered = await client.post(f"http://hooks.example.test:{port}/", content=b"x")
            redirected = await client.post(f"http://hooks.example.test:{port}/redirect")
    assert answered.text == f"hooks.example.test:{port}"
    assert redirected.status_code == 302
    assert resolver.asked == ["hooks.example.test", "hooks.example.test"]
