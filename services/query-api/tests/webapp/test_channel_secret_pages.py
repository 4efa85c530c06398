"""The web app shows a webhook's generated signing secret once, on creation and on rotation, as
the API does; what it stored opens (with the notifier's key) to exactly what it showed."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from pulsecheck.channels.sealed import open_channel
from pulsecheck.read_model.storage.channels import get_channel
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.events import ChannelConfigured
from pulsecheck.shared.sealing import opener_from
from pulsecheck.testing.read_model_fixtures import Tenant
from pulsecheck.testing.sealing_keys import RunKeys

People = Any  # the webapp conftest's fixture


def _shown_secret(html: str) -> str:
    found = re.search(r'<code id="signing-secret">([^<]+)</code>', html)
    assert found, html
    return found.group(1)


async def _opened(pool: Pool, account: uuid.UUID, keys: RunKeys) -> ChannelConfigured:
    async with pool.connection() as conn:
        query = "SELECT id FROM channels WHERE account_id = %s"
        (row_id,) = [r["id"] for r in await (await conn.execute(query, (account,))).fetchall()]
        row: dict[str, Any] | None = await get_channel(conn, account, row_id)
    assert row is not None
    fields = ("kind", "name", "target", "secret", "previous_secret", "previous_secret_until")
    sealed = ChannelConfigured.model_validate(
        {**{f: row[f] for f in fields}, "channel_id": str(row_id), "account_id": str(account)}
    )
    return open_channel(sealed, opener_from(keys.channel_private))


async def test_a_webhook_secret_is_shown_once_on_creation_and_on_rotation(
    web: httpx.AsyncClient, people: People, alice: Tenant, pool: Pool, sealing_keys: RunKeys
) -> None:
    csrf = await people.sign_in(web, await people.add(alice.account_id, "editor"))
    form = {"csrf_token": csrf, "kind": "webhook", "name": "hook", "enabled": "on",
            "target": "https://hooks.slack.com/in", "event_types": ""}  # fmt: skip
    created = await web.post("/settings/channels/new", data=form)
    assert created.status_code == 200, re.findall(r'class="error"[^>]*>([^<]*)', created.text)
    assert created.headers["cache-control"] == "no-store"
    first = _shown_secret(created.text)
    assert len(first) >= 43  # 32 random bytes, base64url
    listing = await web.get("/settings/channels")
    assert first not in listing.text
    opened = await _opened(pool, alice.account_id, sealing_keys)
    assert opened.secret == first

    edit = await web.get(f"/settings/channels/{opened.channel_id}/edit")
    assert "Rotate the signing secret" in edit.text and first not in edit.text
    rotated = await web.post(
        f"/settings/channels/{opened.channel_id}/rotate-secret", data={"csrf_token": csrf}
    )
    assert rotated.status_code == 200
    second = _shown_secret(rotated.text)
    assert second != first and "previous secret still signs" in rotated.text
    opened = await _opened(pool, alice.account_id, sealing_keys)
    assert (opened.secret, opened.previous_secret) == (second, first)


async def test_a_channel_without_a_secret_has_no_rotation(
    web: httpx.AsyncClient, people: People, alice: Tenant
) -> None:
    csrf = await people.sign_in(web, await people.add(alice.account_id, "editor"))
    form = {"csrf_token": csrf, "kind": "slack", "name": "s", "enabled": "on",
            "target": "https://hooks.slack.com/services/T0/B0/x", "event_types": ""}  # fmt: skip
    created = await web.post("/settings/channels/new", data=form)
    assert created.status_code == 303
    channel_id = re.search(r"/settings/channels/([0-9a-f-]{36})/edit", (
        await web.get("/settings/channels")).text)  # fmt: skip
    assert channel_id
    edit = await web.get(f"/settings/channels/{channel_id.group(1)}/edit")
    assert "Rotate the signing secret" not in edit.text
    refused = await web.post(
        f"/settings/channels/{channel_id.group(1)}/rotate-secret", data={"csrf_token": csrf}
    )
    assert refused.status_code == 409
