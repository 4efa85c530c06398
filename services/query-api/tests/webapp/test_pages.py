"""The web app over HTTP: sign-in, cookies, CSRF, roles, CSP, invites, and the overview."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.events import NO_MONITOR, ChannelTestRequested

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

PASSWORD = "correct horse battery"
# fixtures: `alice`/`bob` (tenants, from the query-api conftest), `people` (this folder's)
Tenant = Any
People = Any


async def test_pages_need_a_session_and_send_the_strict_csp(
    web: httpx.AsyncClient, people: People, alice: Tenant
) -> None:
    answer = await web.get("/")
    assert answer.status_code == 303 and answer.headers["location"] == "/sign-in?next=/"
    page = await web.get("/sign-in")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    owner = await people.add(alice.account_id, "owner")
    await people.sign_in(web, owner)
    overview = await web.get("/")
    assert overview.status_code == 200 and owner.email in overview.text
    assert overview.headers["content-security-policy"] == csp


async def test_the_session_cookie_is_httponly_and_samesite_lax(
    web: httpx.AsyncClient, people: People, alice: Tenant
) -> None:
    owner = await people.add(alice.account_id, "owner")
    page = await web.get("/sign-in")
    answer = await web.post(
        "/sign-in",
        data={"email": owner.email, "password": PASSWORD, "csrf_token": people.csrf_of(page.text)},
    )
    cookie = answer.headers["set-cookie"]
    assert "pulsecheck_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


async def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    web: httpx.AsyncClient, people: People, alice: Tenant
) -> None:
    owner = await people.add(alice.account_id, "owner")
    token = people.csrf_of((await web.get("/sign-in")).text)
    wrong = await web.post(
        "/sign-in", data={"email": owner.email, "password": "x" * 12, "csrf_token": token}
    )
    unknown = await web.post(
        "/sign-in", data={"email": "no@one.test", "password": "x" * 12, "csrf_token": token}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert "do not match" in wrong.text and "do not match" in unknown.text


async def test_a_post_without_the_csrf_token_is_refused(
    web: httpx.AsyncClient, people: People, alice: Tenant
) -> None:
    owner = await people.add(alice.account_id, "owner")
    await web.get("/sign-in")
    refused = await web.post("/sign-in", data={"email": owner.email, "password": PASSWORD})
    assert refused.status_code == 403
    await people.sign_in(web, owner)
    forged = await web.post(
        "/settings/api-keys", data={"name": "x", "role": "owner", "csrf_token": "f" * 64}
    )
    assert forged.status_code == 403


async def test_a_viewer_sees_no_edit_controls_and_every_change_gets_403(
    web: httpx.AsyncClient, people: People, alice: Tenant
) -> None:
    viewer = await people.add(alice.account_id, "viewer")
    csrf = await people.sign_in(web, viewer)
    overview = await web.get("/")
    assert "Add a website" not in overview.text
    for path in ("/monitors/new", "/settings/channels/new", "/settings/api-keys",
                 "/settings/members/invites"):  # fmt: skip
        answer = await web.post(path, data={"csrf_token": csrf, "name": "x", "role": "owner"})
        assert answer.status_code == 403, path


async def test_an_invite_works_once_and_signs_the_new_member_in(
    web: httpx.AsyncClient, people: People, alice: Tenant
) -> None:
    token = await people.invite(alice.account_id, "editor")
    page = await web.get(f"/invite/{token}")
    assert page.status_code == 200 and "editor" in page.text
    form = {"email": "new@example.test", "password": PASSWORD, "password_again": PASSWORD,
            "csrf_token": people.csrf_of(page.text)}  # fmt: skip
    joined = await web.post(f"/invite/{token}", data=form)
    assert joined.status_code == 303 and joined.headers["location"] == "/"
    overview = await web.get("/")
    assert "new@example.test" in overview.text and "editor" in overview.text
    web.cookies.clear()
    assert (await web.get(f"/invite/{token}")).status_code == 404


async def test_the_password_changes_and_the_old_one_stops_working(
    web: httpx.AsyncClient, people: People, alice: Tenant
) -> None:
    owner = await people.add(alice.account_id, "owner")
    csrf = await people.sign_in(web, owner)
    new = "a brand new passphrase"
    form = {"current": PASSWORD, "password": new, "password_again": new, "csrf_token": csrf}
    changed = await web.post("/settings/password", data=form)
    assert changed.status_code == 200 and "Password changed" in changed.text
    await web.post("/sign-out", data={"csrf_token": csrf})
    assert (await web.get("/")).status_code == 303
    token = people.csrf_of((await web.get("/sign-in")).text)
    old = await web.post(
        "/sign-in", data={"email": owner.email, "password": PASSWORD, "csrf_token": token}
    )
    assert old.status_code == 401


async def test_another_accounts_website_is_a_404(
    web: httpx.AsyncClient, people: People, alice: Tenant, bob: Tenant
) -> None:
    created = await web.post(
        "/websites", json={"name": "bob", "url": "https://bob.example"}, headers=bob.headers
    )
    assert created.status_code == 201
    await people.sign_in(web, await people.add(alice.account_id, "owner"))
    assert (await web.get(f"/monitors/{created.json()['id']}")).status_code == 404
    assert (await web.get("/monitors/not-an-id")).status_code == 404


async def test_send_a_test_is_a_form_post_and_the_page_shows_its_outcome(
    web: httpx.AsyncClient, people: People, alice: Tenant, pool: Pool
) -> None:
    editor = await people.add(alice.account_id, "editor")
    csrf = await people.sign_in(web, editor)
    form = {"csrf_token": csrf, "kind": "email", "name": "On call", "target": "oc@example.com",
            "enabled": "on"}  # fmt: skip
    assert (await web.post("/settings/channels/new", data=form)).status_code == 303
    found = re.search(r'action="/settings/channels/([0-9a-f-]{36})/test"', (await web.get(
        "/settings/channels")).text)  # fmt: skip
    assert found, "the channel's row has a send-a-test form"
    channel_id = found.group(1)
    asked = await web.post(f"/settings/channels/{channel_id}/test", data={"csrf_token": csrf})
    assert asked.status_code == 303
    assert asked.headers["location"] == f"/settings/channels?tested={channel_id}"
    assert (
        "A test notice is on its way to On call" in (await web.get(asked.headers["location"])).text
    )
    # the notifier's report, as the projector writes it: the channel's last delivery
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO notifications (event_id, delivery_key, monitor_id, account_id,"
            " channel_id, channel_kind, trigger_event_id, trigger_type, attempt, outcome, at)"
            " VALUES (gen_random_uuid(), 'k', %s, %s, %s, 'email', 't', %s, 1, 'failed', now())",
            (NO_MONITOR, alice.account_id, channel_id, ChannelTestRequested.EVENT_TYPE),
        )
    listed = await web.get("/settings/channels")
    assert 'class="delivery-failed"' in listed.text
    viewer = await people.add(alice.account_id, "viewer")
    web.cookies.clear()
    await people.sign_in(web, viewer)
    assert "/test" not in (await web.get("/settings/channels")).text
