"""Another account's ids answer 404 on every route, and lists never show its rows."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def test_every_route_hides_another_accounts_website(
    client: httpx.AsyncClient, alice: Any, bob: Any
) -> None:
    created = await client.post(
        "/websites", json={"name": "A", "url": "https://a.example/"}, headers=alice.headers
    )
    site = created.json()["id"]
    channel = await client.post(
        "/channels",
        json={"kind": "email", "name": "ops", "target": "ops@example.com"},
        headers=alice.headers,
    )
    channel_id = channel.json()["id"]
    attempts = [
        ("GET", f"/websites/{site}", None),
        ("PATCH", f"/websites/{site}", {"name": "stolen"}),
        ("DELETE", f"/websites/{site}", None),
        ("GET", f"/websites/{site}/ssl-logs", None),
        ("GET", f"/websites/{site}/uptime-logs", None),
        ("GET", f"/websites/{site}/stats", None),
        ("GET", f"/websites/{site}/incidents", None),
        ("POST", f"/websites/{site}/check-ssl", None),
        ("POST", f"/websites/{site}/check-now", None),
        ("GET", f"/channels/{channel_id}", None),
        ("PATCH", f"/channels/{channel_id}", {"name": "stolen"}),
        ("DELETE", f"/channels/{channel_id}", None),
    ]
    for method, path, body in attempts:
        response = await client.request(method, path, json=body, headers=bob.headers)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["error"] == "not_found"
    for path in ("/websites", "/channels", "/incidents", "/notifications"):
        listed = await client.get(path, headers=bob.headers)
        assert listed.status_code == 200
        assert listed.json()["data"] == []
    mine = await client.get(f"/websites/{site}", headers=alice.headers)
    assert mine.json()["name"] == "A"
    assert (await client.get(f"/channels/{channel_id}", headers=alice.headers)).status_code == 200
