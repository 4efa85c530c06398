"""Status, uptime and logs per region and overall, over results the real projector wrote."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from pulsecheck.query_api.api.app import create_app

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

Fixture = Any
# the factory's uptime result n is scheduled n minutes after 2025-01-01T00:00Z
ALL_FRESH = datetime(2025, 1, 1, 0, 3, tzinfo=UTC)
AP_SILENT = datetime(2025, 1, 1, 0, 5, tzinfo=UTC)  # ap's last, minute 2, is 180 s old > 150 s


@pytest.fixture
def moment() -> list[datetime]:
    return [ALL_FRESH]


@pytest.fixture
async def dated(
    api_settings: Fixture, pool: Fixture, producer: Fixture, moment: list[datetime]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(api_settings, pool=pool, producer=producer, clock=lambda: moment[0])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def _three_regions(
    client: Fixture, alice: Fixture, producer: Fixture, topics: Fixture, event_factory: Fixture,
    pool: Fixture, eventually: Fixture,
) -> str:  # fmt: skip
    """eu up and us down at minutes 1-4, ap down at minutes 1-2: a minute each."""
    made = await client.post(
        "/websites",
        json={"name": "Shop", "url": "https://shop.example/", "interval_seconds": 60,
              "regions": ["eu", "us", "ap"]},
        headers=alice.headers,
    )  # fmt: skip
    site, account = made.json()["id"], str(alice.account_id)
    checks = [event_factory.uptime(site, account, n, "up") for n in range(1, 5)]
    for region, minutes in (("us", range(1, 5)), ("ap", (1, 2))):
        checks += [event_factory.uptime(site, account, n, "down", region) for n in minutes]
    await producer.publish_many(topics.checks_completed, checks)

    async def projected() -> bool:
        async with pool.connection() as conn:
            cursor = await conn.execute(
                "SELECT sum(checks) AS n FROM uptime_region_rollups_hourly WHERE monitor_id = %s",
                (site,),
            )
            row = await cursor.fetchone()
        return bool(row and row["n"] == 10)

    await eventually(projected)
    return site


async def test_status_counts_only_fresh_regions_and_says_each(
    dated: httpx.AsyncClient, client: Fixture, alice: Fixture, producer: Fixture, topics: Fixture,
    event_factory: Fixture, pool: Fixture, eventually: Fixture, running_projector: None,
    moment: list[datetime],
) -> None:  # fmt: skip
    site = await _three_regions(client, alice, producer, topics, event_factory, pool, eventually)
    website = (await dated.get(f"/websites/{site}", headers=alice.headers)).json()
    assert website["status"] == "down"  # us and ap down: two of three fresh regions
    assert website["regions"] == ["eu", "us", "ap"]
    assert [(r["region"], r["status"], r["fresh"]) for r in website["region_status"]] == [
        ("eu", "up", True), ("us", "down", True), ("ap", "down", True),
    ]  # fmt: skip
    down = (await dated.get("/websites", params={"status": "down"}, headers=alice.headers)).json()
    assert [w["id"] for w in down["data"]] == [site]

    moment[0] = AP_SILENT
    website = (await dated.get(f"/websites/{site}", headers=alice.headers)).json()
    # ap went silent: it no longer counts, and one of the two left is no majority
    assert website["status"] == "up"
    assert website["region_status"][2]["fresh"] is False
    listed = (await dated.get("/websites", headers=alice.headers)).json()["data"]
    assert [(w["id"], w["status"]) for w in listed] == [(site, "up")]
    down = (await dated.get("/websites", params={"status": "down"}, headers=alice.headers)).json()
    assert down == {"data": [], "next_cursor": None}


async def test_stats_and_logs_overall_and_per_region(
    dated: httpx.AsyncClient, client: Fixture, alice: Fixture, producer: Fixture, topics: Fixture,
    event_factory: Fixture, pool: Fixture, eventually: Fixture, running_projector: None,
) -> None:  # fmt: skip
    site = await _three_regions(client, alice, producer, topics, event_factory, pool, eventually)
    overall = (await dated.get(f"/websites/{site}/stats", headers=alice.headers)).json()
    assert (overall["region"], overall["scope"]) == (None, "overall")
    assert (overall["checks"], overall["up"], overall["down"]) == (10, 4, 6)
    assert overall["uptime_percent"] == 40.0
    per_region = {}
    for region in ("eu", "us", "ap"):
        stats = await dated.get(
            f"/websites/{site}/stats", params={"region": region}, headers=alice.headers
        )
        body = stats.json()
        assert (body["region"], body["scope"]) == (region, "region")
        per_region[region] = (body["checks"], body["uptime_percent"])
    assert per_region == {"eu": (4, 100.0), "us": (4, 0.0), "ap": (2, 0.0)}
    nowhere = await dated.get(
        f"/websites/{site}/stats", params={"region": "mars"}, headers=alice.headers
    )
    assert (nowhere.json()["checks"], nowhere.json()["uptime_percent"]) == (0, None)

    logs = await dated.get(
        f"/websites/{site}/uptime-logs", params={"region": "ap"}, headers=alice.headers
    )
    assert [(r["region"], r["outcome"]) for r in logs.json()["data"]] == [("ap", "down")] * 2
    every = await dated.get(f"/websites/{site}/uptime-logs", headers=alice.headers)
    assert len(every.json()["data"]) == 10


def test_openapi_says_which_status_and_scope(api_settings: Fixture) -> None:
    schema = create_app(api_settings).openapi()
    parts = schema["components"]["schemas"]
    assert "overall" in parts["MonitorPublic"]["properties"]["status"]["description"]
    assert parts["MonitorPublic"]["properties"]["region_status"]["items"]["$ref"].endswith(
        "/RegionStatusPublic"
    )
    assert set(parts["WebsiteStats"]["properties"]) >= {"region", "scope"}
    for path in ("/websites/{website_id}/stats", "/websites/{website_id}/uptime-logs"):
        names = [p["name"] for p in schema["paths"][path]["get"]["parameters"]]
        assert "region" in names, path
