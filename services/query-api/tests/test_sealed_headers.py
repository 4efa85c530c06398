"""A monitor's header credentials registered through the API leave no plaintext on
`pulsecheck.monitors`, on `pulsecheck.checks.requested` or in PostgreSQL, are shown masked, stay
sealed through a PATCH, and still arrive at the target when the prober (holding the header key)
runs the requested check."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.registry import run_check
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.events import CheckRequested, decode
from pulsecheck.shared.sealing import is_sealed, opener_from
from pulsecheck.shared.sealing_headers import MASK
from pulsecheck.shared.target_safety import AllowList
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import read_to_end
from pulsecheck.testing.sealing_keys import RunKeys

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

TOKEN = "Bearer hdr-s3cret-token"
API_KEY = "k3y-of-the-site"


async def _stored_headers(pool: Pool, monitor_id: str) -> dict[str, str]:
    async with pool.connection() as conn:
        query = "SELECT spec FROM monitors WHERE id = %s"
        row = await (await conn.execute(query, (monitor_id,))).fetchone()
    assert row is not None
    headers: dict[str, str] = row["spec"]["http"]["headers"]
    return headers


async def _recording_site(heads: list[str]) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        heads.append((await reader.readuntil(b"\r\n\r\n")).decode())
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


async def test_header_credentials_are_sealed_masked_kept_and_opened_by_the_prober(
    client: httpx.AsyncClient,
    alice: Any,
    pool: Pool,
    topics: Topics,
    kafka_bootstrap: str,
    sealing_keys: RunKeys,
) -> None:
    headers = {"Authorization": TOKEN, "X-Api-Key": API_KEY, "Accept": "text/plain"}
    body = {
        "name": "private",
        "url": "https://example.com/private",
        "http": {"headers": headers, "secret_headers": ["x-api-key"]},
    }
    created = await client.post("/websites", json=body, headers=alice.headers)
    assert created.status_code == 201, created.text
    site = created.json()
    shown = {"Authorization": MASK, "X-Api-Key": MASK, "Accept": "text/plain"}
    assert site["http"]["headers"] == shown
    stored = await _stored_headers(pool, site["id"])
    assert is_sealed(stored["Authorization"]) and is_sealed(stored["X-Api-Key"])

    # a change that leaves the headers out, or sends the masks back, keeps the sealed values
    renamed = await client.patch(
        f"/websites/{site['id']}", json={"name": "renamed"}, headers=alice.headers
    )
    assert renamed.status_code == 200, renamed.text
    masks_back = {"http": {"headers": {**shown, "Accept": "*/*"}}}
    patched = await client.patch(f"/websites/{site['id']}", json=masks_back, headers=alice.headers)
    assert patched.status_code == 200, patched.text
    assert patched.json()["http"]["headers"] == {**shown, "Accept": "*/*"}
    assert await _stored_headers(pool, site["id"]) == {**stored, "Accept": "*/*"}

    monitors = await read_to_end(kafka_bootstrap, topics.monitors)
    requested = await read_to_end(kafka_bootstrap, topics.checks_requested)
    on_topics = b"".join(record.value or b"" for record in [*monitors, *requested])
    assert len(monitors) == 3 and requested
    for clear in ("hdr-s3cret-token", API_KEY):
        assert clear.encode() not in on_topics
        assert clear not in repr(await _stored_headers(pool, site["id"]))

    # the check the API requested, run by a prober with the header key against a loopback site
    requests = [decode(record.value or b"").data for record in requested]
    request = [r for r in requests if isinstance(r, CheckRequested) and r.kind == "http"][-1]
    assert request.monitor_id == site["id"] and is_sealed(request.http.headers["Authorization"])
    heads: list[str] = []
    server = await _recording_site(heads)
    port = server.sockets[0].getsockname()[1]
    ctx = ProbeContext.build(
        region="test",
        allow=AllowList.from_entries(["127.0.0.1/32"]),
        header_opener=opener_from(sealing_keys.header_private),
    )
    async with server:
        local = request.model_copy(update={"target": f"http://127.0.0.1:{port}/private"})
        result = await run_check(local, ctx)
    assert result.outcome == "up", result.error
    assert f"authorization: {TOKEN}\r\n" in heads[0]
    assert f"x-api-key: {API_KEY}\r\n" in heads[0]

    # without the key the check fails, classified, before anything is sent
    keyless = ProbeContext.build(region="test", allow=AllowList.from_entries(["127.0.0.1/32"]))
    failed = await run_check(local, keyless)
    assert failed.error is not None and "no private key" in failed.error.message
    assert len(heads) == 1
