"""The live web app in Chromium with the real scheduler, prober and projector in-process: a
website added in the browser is checked at once, turns red on its open pages without a
reload when its site stops, and shows on a status page opened signed out.

The Slack alert and its link are left to the e2e scenario (`e2e/test_scenario.py`), which
runs the notifier with the Slack stand-in.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Browser, expect

from pulsecheck.prober.service import ProberService
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.scheduler.main import wall_clock_ms
from pulsecheck.scheduler.service import Scheduler
from pulsecheck.scheduler.settings import SchedulerSettings
from pulsecheck.shared.topics import Topics

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

Fixture = Any
LOOPBACK = "127.0.0.0/8"
# a result reaches an open page within this: prober, projector batch, NOTIFY, SSE, swap
LIVE_WITHIN_MS = 20_000


@pytest.fixture
def web_settings(settings: QueryApiSettings) -> QueryApiSettings:
    # checks every 2 s, so a stopped site shows within seconds
    return settings.model_copy(update={"session_cookie_secure": False, "min_interval_seconds": 1})


@pytest.fixture
async def running_prober(
    kafka_bootstrap: str, topics: Topics, leaders_ready: None
) -> AsyncIterator[None]:
    settings = ProberSettings(
        kafka_bootstrap=kafka_bootstrap, topic_prefix=topics.prefix, region="local",
        target_allow_list=LOOPBACK, health_port=0, use_uvloop=False, drain_seconds=1,
    )  # fmt: skip
    service = ProberService(settings)
    task = asyncio.create_task(service.run())
    yield
    service.request_stop()
    await asyncio.wait_for(task, timeout=30)


@pytest.fixture
async def running_scheduler(
    kafka_bootstrap: str, topics: Topics, leaders_ready: None
) -> AsyncIterator[None]:
    settings = SchedulerSettings(
        kafka_bootstrap=kafka_bootstrap, topic_prefix=topics.prefix, min_interval_seconds=1,
        tick_ms=100, health_port=0,
    )  # fmt: skip
    scheduler = Scheduler(settings, wall_clock_ms)
    await scheduler.start()
    yield
    await scheduler.stop()


async def test_a_website_is_checked_at_once_turns_red_live_and_shows_on_its_status_page(
    live_server: str, browser: Browser, sign_in: Fixture, people: Fixture, alice: Fixture,
    stoppable_site: Fixture, running_projector: None, running_prober: None,
    running_scheduler: None, screenshots: Fixture,
) -> None:  # fmt: skip
    editor = await people.add(alice.account_id, "editor")
    csp_errors: list[str] = []
    page = await sign_in(live_server, editor, csp_errors)
    await page.get_by_role("link", name="Add a website").click()
    await page.get_by_label("Name", exact=True).fill("Local shop")
    await page.get_by_label("URL", exact=True).fill(stoppable_site.url)
    await page.get_by_label("TLS", exact=True).uncheck()  # the test site speaks plain HTTP
    await page.get_by_label("Check every (seconds)").fill("2")
    await page.get_by_label("Timeout (seconds)").fill("1")
    added = time.monotonic()
    await page.get_by_role("button", name="Add website").click()
    heading = page.get_by_role("heading", name="Local shop")
    await expect(heading).to_contain_text("up", timeout=LIVE_WITHIN_MS)
    print(f"first result on the page {time.monotonic() - added:.1f} s after adding the website")
    await expect(page.locator("#checks-h + table tbody tr").first).to_be_visible()

    # the overview, open in a second tab, must follow too
    overview = await sign_in(live_server, editor, csp_errors)
    row = overview.get_by_role("row", name=re.compile("Local shop"))
    await expect(row.locator(".status")).to_have_text("up")
    await screenshots.take(overview, "live-overview-up")
    # a reload would drop this mark: it proves the pages changed in place
    for open_page in (page, overview):
        await open_page.evaluate("window.stillTheSamePage = true")

    stopped = time.monotonic()
    stoppable_site.stop()
    await expect(heading).to_contain_text("down", timeout=LIVE_WITHIN_MS)
    await expect(row.locator(".status")).to_have_text("down", timeout=LIVE_WITHIN_MS)
    print(f"down on the open pages {time.monotonic() - stopped:.1f} s after the site stopped")
    for open_page in (page, overview):
        assert await open_page.evaluate("window.stillTheSamePage === true")
    await screenshots.take(page, "live-website-down")
    await screenshots.take(overview, "live-overview-down")

    # publish a status page, then open it signed out
    await page.get_by_role("link", name="Status pages").click()
    await page.get_by_role("link", name="Publish a status page").click()
    await page.get_by_label("Title").fill("Local status")
    await page.get_by_label("Address (slug)").fill("local-status")
    await page.get_by_label(re.compile("Local shop")).check()
    await screenshots.take(page, "status-page-form")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("link", name="/status/local-status")).to_be_visible()
    await screenshots.take(page, "status-pages")
    public = await browser.new_page()
    await public.goto(f"{live_server}/status/local-status")
    await expect(public.get_by_role("heading", name="Local status")).to_be_visible()
    await expect(public.get_by_text("Some systems are down")).to_be_visible()
    await expect(public.locator("li.day")).to_have_count(90)
    await screenshots.take(public, "status-page-public")

    for name in ("incidents", "notifications", "certificates"):
        await page.goto(f"{live_server}/account/{name}")
        await screenshots.take(page, name)
    assert csp_errors == []
