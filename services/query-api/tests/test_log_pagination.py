"""Walking uptime logs page by page sees every row exactly once, even while rows arrive."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def test_walk_sees_every_row_once_under_concurrent_inserts(
    client: httpx.AsyncClient, alice: Any, producer: EventProducer, topics: Topics,
    event_factory: Any, running_projector: None, eventually: Any,
) -> None:  # fmt: skip
    site = (
        await client.post(
            "/websites", json={"name": "P", "url": "https://p.example/"}, headers=alice.headers
        )
    ).json()["id"]
    account = str(alice.account_id)
    first = [event_factory.uptime(site, account, n) for n in range(300)]
    await producer.publish_many(topics.checks_completed, first)

    async def loaded() -> Any:
        page = await client.get(
            f"/websites/{site}/uptime-logs", params={"limit": 1000}, headers=alice.headers
        )
        return page.json()["data"] if len(page.json()["data"]) == 300 else None

    existing = {row["id"] for row in await eventually(loaded)}

    async def insert_wave(wave: int) -> None:
        # newer and older rows both arrive while the walk is under way: one wave after a page
        more = [event_factory.uptime(site, account, 1000 + wave * 20 + n) for n in range(10)]
        more += [event_factory.uptime(site, account, -(wave * 20 + n) - 1) for n in range(10)]
        await producer.publish_many(topics.checks_completed, more)

    seen: list[int] = []
    timestamps: list[str] = []
    cursor = None
    for page_number in range(200):
        if page_number < 5:
            await insert_wave(page_number)
        params: dict[str, Any] = {"limit": 7} | ({"cursor": cursor} if cursor else {})
        page = (
            await client.get(f"/websites/{site}/uptime-logs", params=params, headers=alice.headers)
        ).json()
        seen.extend(row["id"] for row in page["data"])
        timestamps.extend(row["timestamp"] for row in page["data"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "a row was served twice"
    assert existing <= set(seen), "a row that existed before the walk was skipped"
    assert timestamps == sorted(timestamps, reverse=True)
