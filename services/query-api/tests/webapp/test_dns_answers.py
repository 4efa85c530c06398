"""A dns monitor's latest answers, per region, projected from its results and served by the
API and the website page: replaced by newer answers, `changed_at` moving only on a change."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from pulsecheck.shared.events import MonitorRegistered, new_envelope
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def _answers(client: httpx.AsyncClient, alice: Any, monitor: str) -> list[dict[str, Any]]:
    website = await client.get(f"/websites/{monitor}", headers=alice.headers)
    assert website.status_code == 200, website.text
    answers: list[dict[str, Any]] = website.json()["dns_answers"]
    return answers


async def test_the_latest_answers_per_region_and_when_they_changed(
    client: httpx.AsyncClient, web: httpx.AsyncClient, people: Any, alice: Any,
    producer: EventProducer, topics: Topics, event_factory: Any, running_projector: None,
    eventually: Any,
) -> None:  # fmt: skip
    monitor, account = str(uuid.uuid4()), str(alice.account_id)
    spec = MonitorRegistered(
        monitor_id=monitor, account_id=account, name="Apex", url="dns://example.com",
        check_kinds=["dns"],
    )  # fmt: skip
    await producer.publish(topics.monitors, new_envelope(spec, source="tests", subject=monitor))
    old, new = ["192.0.2.1"], ["192.0.2.1", "192.0.2.7"]
    results = [
        event_factory.dns(monitor, account, 1, old),
        event_factory.dns(monitor, account, 2, old),  # the same answer: changed_at stays
        event_factory.dns(monitor, account, 3, new),  # a new record: changed_at moves
        event_factory.dns(monitor, account, 4, new),
        event_factory.dns(monitor, account, 2, [], region="us", rcode="NXDOMAIN"),
    ]
    await producer.publish_many(topics.checks_completed, results)

    async def four_minutes_in() -> list[dict[str, Any]] | None:
        found = await _answers(client, alice, monitor)
        eu = [a for a in found if a["region"] == "eu"]
        done = len(found) == 2 and eu and eu[0]["checked_at"].startswith("2025-01-01T00:04")
        return found if done else None

    found = await eventually(four_minutes_in)
    eu, us = found
    assert (eu["region"], eu["rcode"], eu["answers"], eu["ttl"]) == ("eu", "NOERROR", new, 300)
    assert eu["changed_at"].startswith("2025-01-01T00:03")
    assert (us["region"], us["rcode"], us["answers"]) == ("us", "NXDOMAIN", [])

    # an older result arriving late (a replay, a slow region) never overwrites a newer one
    await producer.publish(topics.checks_completed, event_factory.dns(monitor, account, 0, ["x"]))
    await producer.publish(topics.checks_completed, event_factory.dns(monitor, account, 5, new))
    await eventually(lambda: _checked_at(client, alice, monitor, "eu", "2025-01-01T00:05"))
    eu = (await _answers(client, alice, monitor))[0]
    assert eu["answers"] == new and eu["changed_at"].startswith("2025-01-01T00:03")
    await people.sign_in(web, await people.add(alice.account_id, "viewer"))
    page = await web.get(f"/monitors/{monitor}")
    assert page.status_code == 200
    assert "DNS answers" in page.text and "192.0.2.1, 192.0.2.7" in page.text
    assert "NXDOMAIN" in page.text
    listed = (await client.get("/websites", headers=alice.headers)).json()["data"]
    assert [row["dns_answers"] for row in listed if row["id"] == monitor] == [
        await _answers(client, alice, monitor)
    ]


async def _checked_at(
    client: httpx.AsyncClient, alice: Any, monitor: str, region: str, prefix: str
) -> bool:
    found = await _answers(client, alice, monitor)
    return any(a["region"] == region and a["checked_at"].startswith(prefix) for a in found)
