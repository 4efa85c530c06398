"""`POST /websites:batch`: each item validated as a single create, all refused or all published."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulsecheck.read_model.storage.account_limits import LimitOverrides, set_limit_overrides
from pulsecheck.read_model.storage.connection import Pool

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


def _sites(count: int, **more: Any) -> list[dict[str, Any]]:
    return [{"name": f"site {i}", "url": f"https://s{i}.example/", **more} for i in range(count)]


async def _count(client: httpx.AsyncClient, tenant: Any) -> int:
    page = await client.get("/websites", params={"limit": 100}, headers=tenant.headers)
    assert page.status_code == 200, page.text
    return len(page.json()["data"])


async def test_a_batch_registers_every_website_in_order(client: httpx.AsyncClient, alice) -> None:
    created = await client.post(
        "/websites:batch", json={"websites": _sites(25)}, headers=alice.headers
    )
    assert created.status_code == 201, created.text
    ids = created.json()["ids"]
    assert len(set(ids)) == 25
    read = await client.get(f"/websites/{ids[7]}", headers=alice.headers)
    assert read.status_code == 200 and read.json()["url"] == "https://s7.example/"
    assert await _count(client, alice) == 25


@pytest.mark.parametrize(
    ("name", "bad", "status", "error"),
    [
        ("an invalid item", {"name": "x", "url": "ftp://x.example/"}, 422, "invalid_request"),
        ("a URL twice in the batch", {"name": "again", "url": "https://S1.example/"}, 409,
         "duplicate_url"),
        ("too frequent", {"name": "x", "url": "https://x.example/", "interval_seconds": 1}, 422,
         None),
        ("a heartbeat", {"name": "x", "check_kinds": ["heartbeat"]}, 422, "invalid_request"),
    ],
)  # fmt: skip
async def test_one_bad_item_refuses_the_whole_batch(
    client: httpx.AsyncClient, alice, name: str, bad: dict[str, Any], status: int, error: str | None
) -> None:
    body = {"websites": [*_sites(3), bad]}
    refused = await client.post("/websites:batch", json=body, headers=alice.headers)
    assert refused.status_code == status, (name, refused.text)
    if error is not None:
        assert refused.json()["error"] == error, name
    assert await _count(client, alice) == 0, name


async def test_a_registered_url_and_the_quota_refuse_the_batch(
    client: httpx.AsyncClient, alice, pool: Pool
) -> None:
    single = await client.post("/websites", json=_sites(1)[0], headers=alice.headers)
    assert single.status_code == 201, single.text
    again = await client.post(
        "/websites:batch", json={"websites": _sites(2)}, headers=alice.headers
    )
    assert again.status_code == 409 and again.json()["index"] == 0, again.text
    async with pool.connection() as conn:
        await set_limit_overrides(conn, alice.account_id, LimitOverrides(max_monitors=4))
    fresh = [{"name": f"n{i}", "url": f"https://n{i}.example/"} for i in range(4)]
    over = await client.post("/websites:batch", json={"websites": fresh}, headers=alice.headers)
    # the fourth new one would be the fifth monitor
    assert over.status_code == 403 and over.json()["index"] == 3, over.text
    assert over.json()["quota"] == "max_monitors"
    fits = await client.post("/websites:batch", json={"websites": fresh[:3]}, headers=alice.headers)
    assert fits.status_code == 201, fits.text
    assert await _count(client, alice) == 4


async def test_a_batch_is_bounded(client: httpx.AsyncClient, alice) -> None:
    many = await client.post(
        "/websites:batch", json={"websites": _sites(1001)}, headers=alice.headers
    )
    assert many.status_code == 422, many.text
    assert (await client.post("/websites:batch", json={"websites": []}, headers=alice.headers)
            ).status_code == 422  # fmt: skip
