"""`/` serves the dashboard: HTML with the hooks its script fills, the script and its style."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    # static pages need neither the database nor Kafka: no lifespan, no pool, no producer
    transport = httpx.ASGITransport(app=create_app(QueryApiSettings()))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_the_root_serves_the_dashboard_page_with_its_hooks(http: httpx.AsyncClient) -> None:
    page = await http.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for hook in (
        'id="key-form"',
        'id="api-key"',
        'id="websites"',
        'id="detail"',
        'id="stats-window"',
        'id="uptime-logs"',
        'id="ssl-logs"',
        'src="/dashboard/dashboard.js"',
        'href="/dashboard/dashboard.css"',
    ):
        assert hook in page.text, hook


async def test_the_script_reads_the_api_with_the_pasted_key(http: httpx.AsyncClient) -> None:
    script = await http.get("/dashboard/dashboard.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    for usage in ("Authorization", "Bearer", "/websites?", "/stats?window=", "/uptime-logs?",
                  "/ssl-logs?", "textContent"):  # fmt: skip
        assert usage in script.text, usage
    assert "innerHTML" not in script.text
    style = await http.get("/dashboard/dashboard.css")
    assert style.status_code == 200 and "text/css" in style.headers["content-type"]


async def test_the_dashboard_stays_out_of_the_api_description(http: httpx.AsyncClient) -> None:
    paths = (await http.get("/openapi.json")).json()["paths"]
    assert "/" not in paths
    assert "/check-ssl" in paths
