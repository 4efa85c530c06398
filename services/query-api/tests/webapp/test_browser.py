"""The web app in Debian's Chromium, against the real app under uvicorn, PostgreSQL and Kafka.

Every page a flow passes is photographed into the folder the run prints at its end.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, expect

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

# fixtures: `alice` (a tenant, from the query-api conftest); `people`, `screenshots`,
# `live_server`, `target_site`, `browser` and `sign_in` (this folder's conftest)
Fixture = Any
MONITOR_PAGE = re.compile(r"/monitors/[0-9a-f-]{36}$")


async def test_an_invite_signs_up_then_the_new_owner_signs_out_and_in(
    live_server: str, browser: Browser, people: Fixture, alice: Fixture, screenshots: Fixture
) -> None:
    token = await people.invite(alice.account_id, "owner")
    page = await browser.new_page()
    await page.goto(f"{live_server}/invite/{token}")
    await expect(page.get_by_role("heading", name="Join alice")).to_be_visible()
    await screenshots.take(page, "invite")
    await page.get_by_label("Email").fill("first.owner@example.test")
    await page.get_by_label("Password", exact=True).fill(people.password)
    await page.get_by_label("Password, again").fill(people.password)
    await page.get_by_role("button", name="Create my user").click()
    await expect(page).to_have_url(f"{live_server}/")
    await expect(page.get_by_text("first.owner@example.test")).to_be_visible()
    await screenshots.take(page, "overview-empty")
    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(re.compile(r"/sign-in"))
    await screenshots.take(page, "sign-in")
    await page.get_by_label("Email").fill("first.owner@example.test")
    await page.get_by_label("Password").fill(people.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Websites")).to_be_visible()
    await page.goto(f"{live_server}/invite/{token}")
    await expect(page.get_by_text("already used")).to_be_visible()


async def test_a_website_added_in_the_browser_appears_and_its_page_opens(
    live_server: str,
    target_site: str,
    sign_in: Fixture,
    people: Fixture,
    alice: Fixture,
    screenshots: Fixture,
) -> None:
    csp_errors: list[str] = []
    editor = await people.add(alice.account_id, "editor")
    page = await sign_in(live_server, editor, csp_errors)
    await page.get_by_role("link", name="Add a website").click()
    await screenshots.take(page, "website-form")
    await page.get_by_label("Name", exact=True).fill("Local shop")
    await page.get_by_label("URL", exact=True).fill(target_site)
    await page.get_by_label("TLS", exact=True).uncheck()  # the test site speaks plain HTTP
    await page.get_by_label("Request headers").fill("X-Probe: pulsecheck")
    await page.get_by_role("button", name="Add website").click()
    await expect(page).to_have_url(MONITOR_PAGE)
    await expect(page.get_by_role("heading", name="Local shop")).to_be_visible()
    await screenshots.take(page, "website")
    website_url = page.url

    await page.get_by_role("link", name="Alert rules").click()
    await page.get_by_label("Failures before an incident").fill("2")
    await screenshots.take(page, "alert-rules")
    await page.get_by_role("button", name="Save alert rules").click()
    await expect(page).to_have_url(website_url)
    await page.get_by_role("link", name="Edit").click()
    await expect(page.get_by_label("Request headers")).to_have_value("X-Probe: pulsecheck")
    await page.get_by_role("link", name="Websites").click()
    row = page.get_by_role("row", name=re.compile("Local shop"))
    await expect(row).to_be_visible()
    await screenshots.take(page, "overview")
    # the filter narrows the list in place (htmx under the strict CSP), no navigation
    await page.get_by_label("Name or URL contains").fill("nothing like it")
    await expect(page.get_by_text("No website matches these filters.")).to_be_visible()
    await expect(page).to_have_url(re.compile(r"q=nothing"))
    await page.goto(website_url)
    await page.get_by_role("button", name="Pause").click()
    await expect(page.get_by_role("heading", name="Local shop")).to_contain_text("paused")
    await page.get_by_role("button", name="Resume").click()
    await expect(page.get_by_role("button", name="Pause")).to_be_visible()
    await page.get_by_role("link", name="Delete").click()
    await screenshots.take(page, "website-delete")
    await page.get_by_role("button", name="Delete this website").click()
    await expect(page).to_have_url(f"{live_server}/")
    await expect(page.get_by_text("No websites yet.")).to_be_visible()
    assert csp_errors == []


async def test_channels_are_added_and_listed_with_their_last_delivery(
    live_server: str, sign_in: Fixture, people: Fixture, alice: Fixture, screenshots: Fixture
) -> None:
    page = await sign_in(live_server, await people.add(alice.account_id, "owner"))
    await page.get_by_role("link", name="Channels").click()
    await page.get_by_role("link", name="Add a channel").click()
    await page.get_by_label("Kind").select_option("email")
    await page.get_by_label("Name", exact=True).fill("On call")
    await page.get_by_label("Target").fill("oncall@example.com")
    await screenshots.take(page, "channel-form")
    await page.get_by_role("button", name="Add channel").click()
    await expect(page.get_by_role("row", name=re.compile("On call"))).to_contain_text("none yet")
    await screenshots.take(page, "channels")


async def test_a_viewer_sees_no_edit_controls_and_a_forged_post_gets_403(
    live_server: str, sign_in: Fixture, people: Fixture, alice: Fixture, screenshots: Fixture
) -> None:
    async with httpx.AsyncClient(base_url=live_server, headers=alice.headers) as api:
        made = await api.post("/websites", json={"name": "Blog", "url": "https://blog.example"})
        assert made.status_code == 201
    website = f"{live_server}/monitors/{made.json()['id']}"
    page = await sign_in(live_server, await people.add(alice.account_id, "viewer"))
    await expect(page.get_by_role("row", name=re.compile("Blog"))).to_be_visible()
    await expect(page.get_by_role("link", name="Add a website")).to_have_count(0)
    await page.goto(website)
    await expect(page.get_by_role("heading", name="Blog")).to_be_visible()
    await expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    await expect(page.get_by_role("button", name="Pause")).to_have_count(0)
    await screenshots.take(page, "website-as-viewer")
    csrf = await page.locator("input[name=csrf_token]").first.get_attribute("value")
    for path in ("edit", "pause", "delete"):
        answer = await page.request.post(
            f"{website}/{path}", form={"csrf_token": csrf or "", "name": "Mine now"}
        )
        assert answer.status == 403, path


async def test_an_owner_creates_an_api_key_uses_it_and_revokes_it(
    live_server: str, sign_in: Fixture, people: Fixture, alice: Fixture, screenshots: Fixture
) -> None:
    page = await sign_in(live_server, await people.add(alice.account_id, "owner"))
    await page.get_by_role("link", name="API keys").click()
    await page.get_by_label("Name").fill("status board")
    await page.get_by_label("Role").select_option("viewer")
    await page.get_by_role("button", name="Create key").click()
    key = (await page.locator("#new-key").inner_text()).strip()
    await screenshots.take(page, "api-keys")
    bearer = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=live_server, headers=bearer) as api:
        assert (await api.get("/websites")).status_code == 200
        refused = await api.post("/websites", json={"name": "x", "url": "https://x.example"})
        assert refused.status_code == 403
        await page.get_by_role("button", name=f"Revoke {key[:9]}").click()
        await expect(page.get_by_text("revoked")).to_be_visible()
        assert (await api.get("/websites")).status_code == 401
    await page.get_by_role("link", name="Members").click()
    await page.get_by_label("Role").select_option("editor")
    await page.get_by_role("button", name="Make an invite link").click()
    await expect(page.locator("#invite-link")).to_contain_text(f"{live_server}/invite/")
    await screenshots.take(page, "members")
