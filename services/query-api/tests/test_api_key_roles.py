"""API keys carry a role: a viewer key reads everything and changes nothing (403)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.read_model.storage.key_access import create_api_key, revoke_api_key

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def _key(pool: Pool, tenant: Any, role: Any) -> dict[str, str]:
    async with pool.connection() as conn:
        key = await create_api_key(conn, tenant.account_id, f"{role} key", role)
    return {"Authorization": f"Bearer {key}"}


async def test_a_viewer_key_reads_but_every_write_route_answers_403(
    client: httpx.AsyncClient, pool: Pool, alice: Any
) -> None:
    site = await client.post(
        "/websites", json={"name": "a", "url": "https://a.example"}, headers=alice.headers
    )
    assert site.status_code == 201, "a key made by create-account is an owner"
    site_id = site.json()["id"]
    viewer = await _key(pool, alice, "viewer")
    assert (await client.get("/websites", headers=viewer)).status_code == 200
    assert (await client.get(f"/websites/{site_id}", headers=viewer)).status_code == 200
    writes = [
        ("POST", "/websites", {"name": "b", "url": "https://b.example"}),
        ("PATCH", f"/websites/{site_id}", {"name": "renamed"}),
        ("DELETE", f"/websites/{site_id}", None),
        ("POST", "/channels", {"kind": "email", "name": "ops", "target": "ops@example.com"}),
    ]
    for method, path, body in writes:
        answer = await client.request(method, path, json=body, headers=viewer)
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["error"] == "forbidden"


async def test_an_editor_key_changes_and_a_revoked_key_is_refused(
    client: httpx.AsyncClient, pool: Pool, alice: Any
) -> None:
    editor = await _key(pool, alice, "editor")
    made = await client.post(
        "/websites", json={"name": "c", "url": "https://c.example"}, headers=editor
    )
    assert made.status_code == 201
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT id FROM api_keys WHERE account_id = %s AND role = 'editor'", (alice.account_id,)
        )
        row = await cursor.fetchone()
        assert row is not None
        assert await revoke_api_key(conn, alice.account_id, row["id"])
    assert (await client.get("/websites", headers=editor)).status_code == 401
