"""The overview and website page in Chromium once results exist: the real projector reads
checks published on this test's topics, and the app's clock stands where they were taken."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, expect

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

# the factory's results are dated from 2025-01-01T00:00Z, one uptime result a minute
NOW = datetime(2025, 1, 1, 0, 45, tzinfo=UTC)
Fixture = Any


@pytest.fixture
def app_clock() -> Callable[[], datetime]:
    return lambda: NOW


async def test_the_overview_shows_uptime_heartbeats_and_certificate_days(
    live_server: str,
    browser: Browser,
    people: Fixture,
    alice: Fixture,
    client: Fixture,
    producer: Fixture,
    topics: Fixture,
    event_factory: Fixture,
    running_projector: None,
    eventually: Fixture,
    screenshots: Fixture,
) -> None:
    made = await client.post(
        "/websites", json={"name": "Shop", "url": "https://shop.example/"}, headers=alice.headers
    )
    site, account = made.json()["id"], str(alice.account_id)
    # 40 checks: the 10 from minute 25 to 34 are down, so 75 % up
    outcomes = ["down" if 25 <= n < 35 else "up" for n in range(40)]
    checks = [event_factory.uptime(site, account, n, outcome) for n, outcome in enumerate(outcomes)]
    await producer.publish_many(
        topics.checks_completed, [*checks, event_factory.tls(site, account, 0)]
    )

    async def projected() -> bool:
        # the live app's clock stands at NOW; the `client` fixture's is the real one
        async with httpx.AsyncClient(base_url=live_server, headers=alice.headers) as api:
            listed = await api.get("/websites")
        return bool(listed.json()["data"][0]["uptime_24h"] == 75.0)

    await eventually(projected)
    page = await browser.new_page()
    await page.goto(f"{live_server}/sign-in")
    owner = await people.add(alice.account_id, "owner")
    await page.get_by_label("Email").fill(owner.email)
    await page.get_by_label("Password").fill(owner.password)
    await page.get_by_role("button", name="Sign in").click()
    row = page.get_by_role("row", name=re.compile("Shop"))
    await expect(row).to_contain_text("75.00 %")
    await expect(row).to_contain_text("59 days")
    # the strip holds the newest 30 checks (minutes 10 to 39), oldest first
    beats = row.locator("li.beat")
    await expect(beats).to_have_count(30)
    await expect(row.locator("li.beat-down")).to_have_count(10)
    await expect(beats.nth(15)).to_have_class(re.compile("beat-down"))  # minute 25
    await expect(beats.nth(29)).to_have_class(re.compile("beat-up"))
    await screenshots.take(page, "overview-with-results")
    await row.get_by_role("link", name="Shop").click()
    await expect(page).to_have_url(f"{live_server}/monitors/{site}")
    await expect(page.get_by_text("Test CA").first).to_be_visible()
    await screenshots.take(page, "website-with-results")
