"""A dependency's outage is a 503 with `Retry-After` and a JSON reason, never a 500."""

from __future__ import annotations

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from psycopg_pool import PoolClosed, PoolTimeout, TooManyRequests

from pulsecheck.query_api.api.errors import event_bus_unavailable, install_error_handlers

OUTAGES: dict[str, Exception] = {
    "pool timeout": PoolTimeout("couldn't get a connection after 3.00 sec"),
    "pool closed": PoolClosed("the pool is closed"),
    "too many waiting": TooManyRequests("too many requests queued"),
    "connection refused": psycopg.OperationalError("connection failed: Connection refused"),
    "connection lost": psycopg.OperationalError("server closed the connection unexpectedly"),
    "administrator shutdown": psycopg.errors.AdminShutdown("terminating connection"),
    "broker": event_bus_unavailable(),
}


def _app(error: Exception) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/data")
    async def data() -> None:
        raise error

    return app


@pytest.mark.parametrize("error", OUTAGES.values(), ids=OUTAGES.keys())
async def test_an_outage_is_a_503_with_retry_after(error: Exception) -> None:
    transport = httpx.ASGITransport(app=_app(error), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        response = await client.get("/data")
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) > 0
    body = response.json()
    assert body["error"] in ("database_unavailable", "event_bus_unavailable")
    assert body["reason"]


async def test_a_bug_is_still_a_500() -> None:
    transport = httpx.ASGITransport(app=_app(RuntimeError("bug")), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        response = await client.get("/data")
    assert response.status_code == 500
