"""Keys and accounts through the API, on the real broker: revoked keys get 401 at once,
rotation swaps the secret, deleting an account removes its monitors and channels by events."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.events import ChannelRemoved, MonitorRemoved
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import read_all, read_to_end

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def test_keys_are_created_listed_masked_rotated_and_revoked(
    client: httpx.AsyncClient, alice: Any, pool: Pool
) -> None:
    made = await client.post(
        "/api-keys", json={"name": "ci", "role": "editor"}, headers=alice.headers
    )
    assert made.status_code == 201, made.text
    ci = made.json()
    assert (await client.get("/websites", headers=bearer(ci["api_key"]))).status_code == 200
    # an editor key may not manage keys
    assert (await client.get("/api-keys", headers=bearer(ci["api_key"]))).status_code == 403
    listed = (await client.get("/api-keys", headers=alice.headers)).json()["data"]
    assert {row["id"] for row in listed} >= {ci["id"]}
    assert all("api_key" not in row and row["masked_key"].endswith("…") for row in listed)
    assert all(len(row["masked_key"]) < 12 for row in listed)

    rotated = await client.post(f"/api-keys/{ci['id']}/rotate", headers=alice.headers)
    assert rotated.status_code == 201, rotated.text
    fresh = rotated.json()
    assert (fresh["role"], fresh["name"]) == ("editor", "ci") and fresh["id"] != ci["id"]
    assert (await client.get("/websites", headers=bearer(ci["api_key"]))).status_code == 401
    assert (await client.get("/websites", headers=bearer(fresh["api_key"]))).status_code == 200

    site = await client.post(
        "/websites", json={"name": "A", "url": "https://a.example/"}, headers=alice.headers
    )
    gone = await client.delete(f"/api-keys/{fresh['id']}", headers=alice.headers)
    assert gone.status_code == 204
    assert (await client.get("/websites", headers=bearer(fresh["api_key"]))).status_code == 401
    assert (
        await client.delete(f"/api-keys/{fresh['id']}", headers=alice.headers)
    ).status_code == 404
    # revoking a key stops no monitor: the monitor belongs to the account
    own = await client.get(f"/websites/{site.json()['id']}", headers=alice.headers)
    assert own.status_code == 200


async def test_deleting_an_account_publishes_removals_and_ends_its_keys(
    client: httpx.AsyncClient, alice: Any, bob: Any, kafka_bootstrap: str, topics: Topics
) -> None:
    sites = []
    for n in range(3):
        made = await client.post(
            "/websites", json={"name": f"s{n}", "url": f"https://s{n}.example/"},
            headers=alice.headers,
        )  # fmt: skip
        sites.append(made.json()["id"])
    channel = await client.post(
        "/channels", json={"kind": "email", "name": "ops", "target": "ops@example.com"},
        headers=alice.headers,
    )  # fmt: skip
    kept = await client.post(
        "/websites", json={"name": "b", "url": "https://b.example/"}, headers=bob.headers
    )
    deleted = await client.delete("/account", headers=alice.headers)
    assert deleted.status_code == 204, deleted.text
    assert (await client.get("/websites", headers=alice.headers)).status_code == 401

    monitor_events = await read_all(kafka_bootstrap, topics.monitors)
    removed = {e.data.monitor_id for e in monitor_events if isinstance(e.data, MonitorRemoved)}
    assert removed == set(sites)
    tombstones = {
        r.key.decode()
        for r in await read_to_end(kafka_bootstrap, topics.monitors)
        if r.value is None
    }
    assert set(sites) <= tombstones and kept.json()["id"] not in tombstones
    channel_events = await read_all(kafka_bootstrap, topics.channels)
    assert [e.data.channel_id for e in channel_events if isinstance(e.data, ChannelRemoved)] == [
        channel.json()["id"]
    ]
    assert (
        await client.get(f"/websites/{kept.json()['id']}", headers=bob.headers)
    ).status_code == 200
