"""check-now, POST check-ssl and GET check-ssl share a budget per API key and per account."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.read_model.storage.key_access import create_api_key
from pulsecheck.shared.kafka.producer import EventProducer

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


@pytest.fixture
async def limited(
    api_settings: QueryApiSettings, pool: Pool, producer: EventProducer
) -> AsyncIterator[httpx.AsyncClient]:
    settings = api_settings.model_copy(
        update={"on_demand_per_minute_per_key": 2, "on_demand_per_minute_per_account": 3}
    )
    app = create_app(settings, pool=pool, producer=producer)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        yield http


async def test_on_demand_checks_are_limited_per_key_and_per_account(
    limited: httpx.AsyncClient, alice: Any, bob: Any, pool: Pool
) -> None:
    made = await limited.post(
        "/websites", json={"name": "A", "url": "https://a.example/"}, headers=alice.headers
    )
    site = made.json()["id"]
    async with pool.connection() as conn:
        second_key = await create_api_key(conn, alice.account_id, "ci", "editor")
    second = {"Authorization": f"Bearer {second_key}"}
    assert (
        await limited.post(f"/websites/{site}/check-now", headers=alice.headers)
    ).status_code == 202
    assert (
        await limited.post(f"/websites/{site}/check-ssl", headers=alice.headers)
    ).status_code == 202
    over_key = await limited.post(f"/websites/{site}/check-now", headers=alice.headers)
    assert over_key.status_code == 429 and 1 <= int(over_key.headers["Retry-After"]) <= 60
    # a fresh key of the same account has the account's last token, then none
    assert (await limited.post(f"/websites/{site}/check-now", headers=second)).status_code == 202
    over_account = await limited.post(f"/websites/{site}/check-ssl", headers=second)
    assert over_account.status_code == 429, over_account.text
    refused_get = await limited.get(
        "/check-ssl", params={"url": "https://a.example/"}, headers=second
    )
    assert refused_get.status_code == 429 and "Retry-After" in refused_get.headers
    # another account is not held back
    other = await limited.post(
        "/websites", json={"name": "B", "url": "https://b.example/"}, headers=bob.headers
    )
    bob_site = other.json()["id"]
    assert (
        await limited.post(f"/websites/{bob_site}/check-now", headers=bob.headers)
    ).status_code == 202
