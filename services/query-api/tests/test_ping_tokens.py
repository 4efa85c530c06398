"""The token directory answers from memory, yet a removed monitor's token finds nothing at once:
after this replica's removal (`forget_monitor`), or another's (`on_change`, a change notice)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from pulsecheck.query_api.ping_tokens import TokenDirectory
from pulsecheck.read_model.change_notices import Change
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.read_model.storage.ping_tokens import PingTarget
from pulsecheck.testing.waiting import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

HEARTBEAT = {"url": "heartbeat://backup", "heartbeat": {"period_seconds": 3600}}


async def _heartbeat(client: httpx.AsyncClient, alice: Any, name: str) -> tuple[str, PingTarget]:
    created = await client.post(
        "/websites", json={**HEARTBEAT, "name": name, "url": f"heartbeat://{name}"},
        headers=alice.headers,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    body = created.json()
    return body["ping_token"], PingTarget(uuid.UUID(body["id"]), alice.account_id)


async def _remove(client: httpx.AsyncClient, alice: Any, target: PingTarget) -> None:
    removed = await client.delete(f"/websites/{target.monitor_id}", headers=alice.headers)
    assert removed.status_code == 204, removed.text


async def test_a_forgotten_monitor_stays_forgotten_until_the_read_model_shows_it(
    client: httpx.AsyncClient, alice: Any, pool: Pool
) -> None:
    token, target = await _heartbeat(client, alice, "forgotten")
    directory = TokenDirectory(pool)
    await directory.refresh()
    assert await directory.find(token) == target
    # the removal is published; its row is not written yet
    directory.forget_monitor(target.monitor_id)
    assert await directory.find(token) is None
    await directory.refresh()  # the read model still shows the monitor live
    assert await directory.find(token) is None
    await _remove(client, alice, target)
    await directory.refresh()
    assert await directory.find(token) is None


async def test_a_token_not_seen_before_its_removal_is_not_found_either(
    client: httpx.AsyncClient, alice: Any, pool: Pool
) -> None:
    token, target = await _heartbeat(client, alice, "unseen")
    directory = TokenDirectory(pool)  # empty: the token would cost a query
    directory.forget_monitor(target.monitor_id)
    assert await directory.find(token) is None


async def test_a_change_notice_makes_the_directory_look_again(
    client: httpx.AsyncClient, alice: Any, pool: Pool
) -> None:
    gone_token, gone = await _heartbeat(client, alice, "gone")
    kept_token, kept = await _heartbeat(client, alice, "kept")
    directory = TokenDirectory(pool)
    await directory.refresh()
    # another replica removes one: this directory still has the token in memory
    await _remove(client, alice, gone)
    assert await directory.find(gone_token) == gone
    directory.on_change(Change(alice.account_id, kept.monitor_id))
    directory.on_change(Change(alice.account_id, gone.monitor_id))

    async def forgotten() -> bool:
        return await directory.find(gone_token) is None

    await wait_until(forgotten, within=10, what="the removed monitor's token forgotten")
    assert await directory.find(kept_token) == kept
    await directory.stop()
