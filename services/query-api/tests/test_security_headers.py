"""Every response carries the security headers, whatever served it; no page loads a CDN."""

from __future__ import annotations

import httpx
import pytest

from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.api.security_headers import HSTS
from pulsecheck.query_api.main import server_options
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.kafka.producer import EventProducer

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

SAMPLE = {
    "/websites": 401,  # an API error
    "/openapi.json": 200,
    "/sign-in": 200,  # a web page
    "/static/app.css": 200,  # a static file
    "/static/no-such-file.css": 404,
    "/dashboard/index.html": 404,
    "/docs": 404,  # Swagger UI is off: it loads its code from a CDN
    "/redoc": 404,
}


async def test_every_response_has_the_security_headers(client: httpx.AsyncClient) -> None:
    for path, status in SAMPLE.items():
        answer = await client.get(path)
        assert answer.status_code == status, (path, answer.text[:200])
        headers = answer.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        assert "strict-transport-security" not in headers, path  # plain http here
        assert "cdn" not in answer.text.lower(), path
    over_tls = await client.get("https://testserver/sign-in")
    assert over_tls.headers["strict-transport-security"] == HSTS


def test_forwarded_headers_are_believed_from_nobody_by_default() -> None:
    options = server_options(QueryApiSettings())
    assert (options["proxy_headers"], options["forwarded_allow_ips"]) == (False, "")
    behind = server_options(QueryApiSettings(forwarded_allow_ips="10.0.0.5"))
    assert (behind["proxy_headers"], behind["forwarded_allow_ips"]) == (True, "10.0.0.5")


async def test_an_unhandled_error_leaves_with_the_security_headers_too(
    api_settings: QueryApiSettings, pool: Pool, producer: EventProducer
) -> None:
    # a 500 is sent by Starlette's outermost error middleware, outside every other middleware
    app = create_app(api_settings, pool=pool, producer=producer)

    async def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
        answer = await http.get("/broken")
    assert answer.status_code == 500
    assert answer.json()["error"] == "internal" and "a bug" not in answer.text
    assert answer.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["strict-transport-security"] == HSTS
