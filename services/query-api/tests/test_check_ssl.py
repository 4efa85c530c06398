"""`GET /check-ssl`: the prober's TLS check, in-process, against real HTTPS servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import trustme

from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.kafka.producer import EventProducer

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

SEED_FIELDS = ["valid", "expiry_date", "days_remaining", "issuer", "needs_renewal", "error"]


class HttpsSite:
    """A TLS server on 127.0.0.1 presenting one certificate; counts the connections it gets."""

    def __init__(self) -> None:
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def start(self, tls: ssl.SSLContext) -> int:
        async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            # counted on TCP accept: a client that drops right after its handshake still counts
            self.connections += 1
            self._writers.append(writer)
            try:
                await writer.start_tls(tls)
                await reader.read(1)
            except (ConnectionError, ssl.SSLError, TimeoutError):
                pass
            finally:
                writer.transport.abort()

        self._server = await asyncio.start_server(hold, "127.0.0.1", 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in self._writers:
                writer.transport.abort()
            await self._server.wait_closed()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="PulseCheck Test CA")


@pytest.fixture
async def site() -> AsyncIterator[HttpsSite]:
    server = HttpsSite()
    yield server
    await server.close()


def served_by_test_ca(ca: trustme.CA, not_before: datetime, not_after: datetime) -> ssl.SSLContext:
    leaf = ca.issue_cert("127.0.0.1", not_before=not_before, not_after=not_after)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    leaf.configure_cert(context)
    return context


AppClient = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def app_client(
    settings: QueryApiSettings, pool: Pool, producer: EventProducer, ca: trustme.CA, tmp_path: Path
) -> AsyncIterator[AppClient]:
    """Clients of an app that trusts the test CA; `open_loopback` adds 127.0.0.0/8 to the
    allow-list, `address` is the client address the app sees."""
    ca_file = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    clients: list[httpx.AsyncClient] = []
    apps: dict[bool, object] = {}

    def make(open_loopback: bool = True, address: str = "127.0.0.1") -> httpx.AsyncClient:
        if open_loopback not in apps:
            allow = "127.0.0.0/8" if open_loopback else ""
            app_settings = settings.model_copy(
                update={"target_allow_list": allow, "extra_ca_file": ca_file}
            )
            apps[open_loopback] = create_app(app_settings, pool=pool, producer=producer)
        transport = httpx.ASGITransport(app=apps[open_loopback], client=(address, 40000))  # type: ignore[arg-type]
        http = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        clients.append(http)
        return http

    yield make
    for http in clients:
        await http.aclose()


async def test_a_valid_certificate_in_the_seed_shape_with_every_fact(
    app_client: AppClient, site: HttpsSite, ca: trustme.CA, alice
) -> None:
    now = datetime.now(UTC)
    expiry = (now + timedelta(days=90)).replace(microsecond=0)
    port = await site.start(served_by_test_ca(ca, now - timedelta(days=1), expiry))
    answer = await app_client().get(
        "/check-ssl", params={"url": f"https://127.0.0.1:{port}"}, headers=alice.headers
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert list(body)[: len(SEED_FIELDS)] == SEED_FIELDS
    assert body["valid"] is True and body["error"] is None and body["error_kind"] is None
    assert datetime.fromisoformat(body["expiry_date"]) == expiry
    assert body["days_remaining"] in (89, 90)
    assert body["needs_renewal"] is False
    assert body["issuer_organization"] == "PulseCheck Test CA"
    assert body["sans"] == ["127.0.0.1"]
    assert body["hostname_match"] is True and body["self_signed"] is False
    assert body["tls_version"].startswith("TLSv1.") and body["cipher"]
    assert len(body["fingerprint_sha256"]) == 64 and body["serial"]
    assert datetime.fromisoformat(body["chain_earliest_expiry"]) <= expiry
    assert body["url"] == f"https://127.0.0.1:{port}/"


async def test_an_expired_certificate_is_invalid_and_says_why(
    app_client: AppClient, site: HttpsSite, ca: trustme.CA, alice
) -> None:
    now = datetime.now(UTC)
    port = await site.start(
        served_by_test_ca(ca, now - timedelta(days=60), now - timedelta(days=3))
    )
    answer = await app_client().get(
        "/check-ssl", params={"url": f"127.0.0.1:{port}"}, headers=alice.headers
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["valid"] is False
    assert body["error_kind"] == "expired"
    assert "expired" in body["error"]
    assert body["days_remaining"] in (-4, -3)
    assert body["needs_renewal"] is True
    assert body["issuer_organization"] == "PulseCheck Test CA"


async def test_a_loopback_target_without_an_allow_list_is_refused_unvisited(
    app_client: AppClient, site: HttpsSite, ca: trustme.CA, alice
) -> None:
    now = datetime.now(UTC)
    port = await site.start(served_by_test_ca(ca, now, now + timedelta(days=90)))
    answer = await app_client(open_loopback=False).get(
        "/check-ssl", params={"url": f"https://127.0.0.1:{port}/"}, headers=alice.headers
    )
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"] == "blocked_target"
    assert "loopback" in answer.json()["reason"]
    assert site.connections == 0


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "needs an https URL"),
        ("https://", "no host"),
        ("https://user:pw@127.0.0.1/", "credentials"),
        ("https://127.0.0.1:99999/", "Port out of range"),
    ],
)
async def test_an_invalid_url_is_a_422_with_the_reason(
    app_client: AppClient, alice, url: str, reason: str
) -> None:
    answer = await app_client().get("/check-ssl", params={"url": url}, headers=alice.headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request"
    assert reason in answer.json()["reason"]


async def test_checks_are_limited_per_api_key_and_per_client_address(
    app_client: AppClient, site: HttpsSite, ca: trustme.CA, alice, bob, settings
) -> None:
    now = datetime.now(UTC)
    port = await site.start(served_by_test_ca(ca, now, now + timedelta(days=90)))
    params = {"url": f"https://127.0.0.1:{port}"}
    alice_here = app_client(address="127.0.0.10")
    for _ in range(settings.check_ssl_per_minute):
        assert (await alice_here.get("/check-ssl", params=params, headers=alice.headers)).is_success
    refused = await alice_here.get("/check-ssl", params=params, headers=alice.headers)
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # the same key from elsewhere, and another key from the same address, are limited too
    alice_elsewhere = app_client(address="127.0.0.20")
    bob_here = app_client(address="127.0.0.10")
    bob_elsewhere = app_client(address="127.0.0.20")
    assert (
        await alice_elsewhere.get("/check-ssl", params=params, headers=alice.headers)
    ).status_code == 429
    assert (await bob_here.get("/check-ssl", params=params, headers=bob.headers)).status_code == 429
    assert (await bob_elsewhere.get("/check-ssl", params=params, headers=bob.headers)).is_success
    assert site.connections == settings.check_ssl_per_minute + 1


async def test_checks_need_an_api_key(app_client: AppClient) -> None:
    answer = await app_client().get("/check-ssl", params={"url": "https://127.0.0.1/"})
    assert answer.status_code == 401
