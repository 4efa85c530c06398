"""The website page's history over HTTP once the real projector has written results: uptime
per window, the response-time chart, TLS history, the overview's live row and the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from pulsecheck.query_api.api.app import create_app
from pulsecheck.read_model.storage.website_history import CSV_COLUMNS

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

Fixture = Any
# the factory's results are dated from 2025-01-01T00:00Z, one uptime result a minute
NOW = datetime(2025, 1, 1, 0, 45, tzinfo=UTC)


@pytest.fixture
async def dated_web(
    web_settings: Fixture, pool: Fixture, producer: Fixture
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(web_settings, pool=pool, producer=producer, clock=lambda: NOW)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_uptime_chart_tls_history_row_and_csv_of_a_website(
    dated_web: httpx.AsyncClient, client: Fixture, people: Fixture, alice: Fixture,
    producer: Fixture, topics: Fixture, event_factory: Fixture, running_projector: None,
    eventually: Fixture, pool: Fixture,
) -> None:  # fmt: skip
    made = await client.post(
        "/websites", json={"name": "Shop", "url": "https://shop.example/"}, headers=alice.headers
    )
    site, account = made.json()["id"], str(alice.account_id)
    outcomes = ["down" if 25 <= n < 35 else "up" for n in range(40)]
    checks = [event_factory.uptime(site, account, n, o) for n, o in enumerate(outcomes)]
    await producer.publish_many(
        topics.checks_completed, [*checks, event_factory.tls(site, account, 0)]
    )

    async def projected() -> bool:
        async with pool.connection() as conn:
            cursor = await conn.execute(
                "SELECT count(*) AS n FROM uptime_results WHERE monitor_id = %s", (site,)
            )
            row = await cursor.fetchone()
        return bool(row and row["n"] == 40)

    await eventually(projected)
    await people.sign_in(dated_web, await people.add(alice.account_id, "viewer"))
    page = (await dated_web.get(f"/monitors/{site}")).text
    assert page.count("75.00 %") == 4  # 24 h, 7 d, 30 d and 90 d alike: one hour of history
    assert 'class="p50" d="M' in page and 'class="p95" d="M' in page
    assert "Test CA" in page and "TLS history" in page
    assert 'sse-connect="/live"' in page and f'hx-trigger="sse:m-{site}"' in page
    row = await dated_web.get(f"/monitors/{site}/row")
    assert row.text.count("<tr") == 1 and f'id="w-{site}"' in row.text
    assert "75.00 %" in row.text

    export = await dated_web.get(f"/monitors/{site}/checks.csv?window=24h")
    assert export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(export.text)))
    assert tuple(lines[0]) == CSV_COLUMNS and len(lines) == 41
    assert lines[1][3] == "up" and lines[26][3] == "down"  # oldest first: minute 25 is down
    unknown_window = await dated_web.get(f"/monitors/{site}/checks.csv?window=forever")
    assert unknown_window.text == export.text  # falls back to 24 h


async def test_the_page_of_a_website_in_several_regions_shows_each(
    dated_web: httpx.AsyncClient, client: Fixture, people: Fixture, alice: Fixture,
    producer: Fixture, topics: Fixture, event_factory: Fixture, running_projector: None,
    eventually: Fixture, pool: Fixture,
) -> None:  # fmt: skip
    made = await client.post(
        "/websites",
        json={"name": "Shop", "url": "https://shop.example/", "interval_seconds": 60},
        headers=alice.headers,
    )
    site, account = made.json()["id"], str(alice.account_id)
    # eu and us report up to minute 44 (NOW is 00:45), ap went silent after minute 30
    checks = [event_factory.uptime(site, account, n, "up") for n in range(40, 45)]
    for region, minutes, outcome in (("us", range(40, 45), "up"), ("ap", (30,), "down")):
        checks += [event_factory.uptime(site, account, n, outcome, region) for n in minutes]
    await producer.publish_many(topics.checks_completed, checks)

    async def projected() -> bool:
        async with pool.connection() as conn:
            cursor = await conn.execute(
                "SELECT count(*) AS n FROM monitor_region_status WHERE monitor_id = %s", (site,)
            )
            row = await cursor.fetchone()
        return bool(row and row["n"] == 3)

    await eventually(projected)
    await people.sign_in(dated_web, await people.add(alice.account_id, "viewer"))
    page = (await dated_web.get(f"/monitors/{site}")).text
    heading = page[page.index("<h1>") : page.index("</h1>")]
    assert 'class="status status-up"' in heading  # ap, down but silent, does not count
    regions = page[page.index('id="regions-h"') : page.index('id="uptime-h"')]
    assert [row.split("</th>")[0] for row in regions.split('<th scope="row">')[1:]] == [
        "ap", "eu", "us",
    ]  # fmt: skip
    assert regions.count("no: silent") == 1 and "status-down" in regions
