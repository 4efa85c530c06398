"""Status pages and badges over HTTP: published by an editor, opened signed out, cached
until a change of the account, and badge URLs that name a token, never a monitor id."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from pulsecheck.query_api.api.app import create_app
from pulsecheck.read_model.change_notices import Change
from pulsecheck.webapp.public.cache import PublicCache

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

Fixture = Any
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def app(web_settings: Fixture, pool: Fixture, producer: Fixture) -> FastAPI:
    return create_app(web_settings, pool=pool, producer=producer)


@pytest.fixture
async def browser_like(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def _website(client: httpx.AsyncClient, tenant: Fixture, name: str) -> str:
    made = await client.post(
        "/websites",
        json={"name": name, "url": f"https://{name.lower()}.example/"},
        headers=tenant.headers,
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _publish(
    http: httpx.AsyncClient, csrf: str, slug: str, sites: list[str], logo: bytes | None = None
) -> httpx.Response:
    data = {"csrf_token": csrf, "slug": slug, "title": f"{slug} status", "website": sites}
    files = {"logo": ("logo.png", logo, "image/png")} if logo is not None else None
    return await http.post("/settings/status-pages/new", data=data, files=files)


async def test_a_published_page_opens_signed_out_and_is_cached_until_a_change(
    app: FastAPI, browser_like: httpx.AsyncClient, client: Fixture, people: Fixture,
    alice: Fixture, pool: Fixture,
) -> None:  # fmt: skip
    site = await _website(client, alice, "Shop")
    csrf = await people.sign_in(browser_like, await people.add(alice.account_id, "editor"))
    slug = f"acme-{uuid.uuid4().hex[:6]}"
    answer = await _publish(browser_like, csrf, slug, [site], PNG)
    assert answer.status_code == 303, answer.text
    async with httpx.AsyncClient(transport=browser_like._transport, base_url="http://t") as anon:
        page = await anon.get(f"/status/{slug}")
        assert page.status_code == 200 and "Shop" in page.text and f"{slug} status" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert len(re.findall(r'class="day day-', page.text)) == 90
        logo = await anon.get(f"/status/{slug}/logo")
        assert logo.content == PNG and logo.headers["content-type"] == "image/png"
        # a write behind the app's back is not seen while the page is cached...
        async with pool.connection() as conn:
            await conn.execute("UPDATE status_pages SET title = 'Renamed' WHERE slug = %s", (slug,))
        assert "Renamed" not in (await anon.get(f"/status/{slug}")).text
        # ...until the change feed reports a change in the account (here: in one moment)
        app.state.public_cache = PublicCache(min_age=0)
        app.state.public_cache.put(f"status:{slug}", alice.account_id, b"old", "text/html")
        assert (await anon.get(f"/status/{slug}")).text == "old"
        app.state.public_cache.on_change(Change(alice.account_id, uuid.UUID(site)))
        assert "Renamed" in (await anon.get(f"/status/{slug}")).text
        assert (await anon.get("/status/no-such-page")).status_code == 404


async def test_viewers_cannot_publish_and_a_slug_is_taken_across_accounts(
    web: httpx.AsyncClient, browser_like: httpx.AsyncClient, people: Fixture, alice: Fixture,
    bob: Fixture,
) -> None:  # fmt: skip
    viewer_csrf = await people.sign_in(web, await people.add(alice.account_id, "viewer"))
    assert (await _publish(web, viewer_csrf, "viewer-page", [])).status_code == 403
    csrf = await people.sign_in(browser_like, await people.add(bob.account_id, "editor"))
    slug = f"taken-{uuid.uuid4().hex[:6]}"
    assert (await _publish(browser_like, csrf, slug, [])).status_code == 303
    editor_csrf = await people.sign_in(web, await people.add(alice.account_id, "editor"))
    again = await _publish(web, editor_csrf, slug, [])
    assert again.status_code == 422 and "taken" in again.text
    svg = await _publish(web, editor_csrf, f"x{slug}", [], b"<svg onload='alert(1)'/>")
    assert svg.status_code == 422 and "PNG, JPEG or WebP" in svg.text


async def test_badges_answer_by_token_and_never_by_monitor_id(
    browser_like: httpx.AsyncClient, client: Fixture, people: Fixture, alice: Fixture
) -> None:
    site = await _website(client, alice, "Api")
    csrf = await people.sign_in(browser_like, await people.add(alice.account_id, "editor"))
    made = await browser_like.post(f"/monitors/{site}/badge", data={"csrf_token": csrf})
    assert made.status_code == 303
    page = (await browser_like.get(f"/monitors/{site}")).text
    token = re.search(r"/badge/([A-Za-z0-9_-]+)/status\.svg", page)
    assert token is not None and token.group(1) != site
    async with httpx.AsyncClient(transport=browser_like._transport, base_url="http://t") as anon:
        status = await anon.get(f"/badge/{token.group(1)}/status.svg")
        assert status.status_code == 200 and status.headers["content-type"] == "image/svg+xml"
        assert ">unknown<" in status.text
        uptime = await anon.get(f"/badge/{token.group(1)}/uptime.svg?window=7d")
        assert ">uptime 7d<" in uptime.text and ">no data<" in uptime.text
        assert (await anon.get(f"/badge/{site}/status.svg")).status_code == 404


async def test_overview_status_pages_and_badges_show_the_overall_status_of_fresh_regions(
    browser_like: httpx.AsyncClient, client: Fixture, people: Fixture, alice: Fixture,
    pool: Fixture,
) -> None:  # fmt: skip
    made = await client.post(
        "/websites",
        json={"name": "Shop", "url": "https://shop.example/", "interval_seconds": 60,
              "regions": ["eu", "us"]},
        headers=alice.headers,
    )  # fmt: skip
    site = made.json()["id"]
    now = datetime.now(UTC)
    # us said "down" last, an hour ago, and went silent; eu, fresh, says "up": the site is up,
    # though the newest stored result of any region is us's "down"
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO monitor_status (monitor_id, account_id, status, last_checked_at)"
            " VALUES (%s, %s, 'down', %s) ON CONFLICT (monitor_id) DO UPDATE SET status = 'down'",
            (site, alice.account_id, now),
        )
        for region, status, at in (("eu", "up", now), ("us", "down", now - timedelta(hours=1))):
            await conn.execute(
                "INSERT INTO monitor_region_status (monitor_id, region, account_id, status,"
                " scheduled_for, last_checked_at) VALUES (%s, %s, %s, %s, %s, %s)",
                (site, region, alice.account_id, status, at, at),
            )
    csrf = await people.sign_in(browser_like, await people.add(alice.account_id, "editor"))
    assert "Shop" in (await browser_like.get("/?status=up")).text
    assert "Shop" not in (await browser_like.get("/?status=down")).text
    assert (await _publish(browser_like, csrf, "shop", [site])).status_code == 303
    badge_made = await browser_like.post(f"/monitors/{site}/badge", data={"csrf_token": csrf})
    assert badge_made.status_code == 303
    token = re.search(r"/badge/([A-Za-z0-9_-]+)/status\.svg",
                      (await browser_like.get(f"/monitors/{site}")).text)  # fmt: skip
    assert token is not None
    async with httpx.AsyncClient(transport=browser_like._transport, base_url="http://t") as anon:
        public = (await anon.get("/status/shop")).text
        assert 'class="status status-up"' in public and "status-down" not in public
        badge = (await anon.get(f"/badge/{token.group(1)}/status.svg")).text
        assert ">up<" in badge and ">down<" not in badge
