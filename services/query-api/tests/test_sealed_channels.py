"""Channels created through the API leave no secret in the clear on `pulsecheck.channels` or in
PostgreSQL, and the notifier, holding the private key, still signs a webhook correctly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from pulsecheck.channels.webhook.channel import WebhookChannel
from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.checks.vetted_transport import vetted_client
from pulsecheck.notifier.configuration import ConfigurationView
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.sealing import opener_from
from pulsecheck.shared.target_safety import AllowList
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.alerts import context_for, opened_notice
from pulsecheck.testing.kafka import read_to_end
from pulsecheck.testing.sealing_keys import RunKeys
from pulsecheck.testing.standins.webhook import accepted_documents, webhook_receiver

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

SLACK_PATH = "/services/T0SEALED/B0SEALED/slacktokenpart"


async def _create(client: httpx.AsyncClient, tenant: Any, kind: str, target: str) -> Any:
    created = await client.post(
        "/channels", json={"kind": kind, "name": kind, "target": target}, headers=tenant.headers
    )
    assert created.status_code == 201, created.text
    return created.json()


async def test_no_secret_in_the_clear_and_the_notifier_still_signs(
    client: httpx.AsyncClient,
    alice: Any,
    pool: Pool,
    topics: Topics,
    kafka_bootstrap: str,
    sealing_keys: RunKeys,
) -> None:
    # the API vets channel URLs by a resolver table: the webhook is created on a name it knows
    # and, once opened, posted to a loopback receiver (the signature does not cover the URL)
    hook_url = "https://hooks.slack.com/in?token=hooktoken123"
    hook = await _create(client, alice, "webhook", hook_url)
    slack = await _create(client, alice, "slack", f"https://hooks.slack.com{SLACK_PATH}")
    rotated = await client.post(f"/channels/{hook['id']}/rotate-secret", headers=alice.headers)
    old, new = hook["secret"], rotated.json()["secret"]
    clear = [old, new, "hooktoken123", SLACK_PATH, "slacktokenpart"]

    records = await read_to_end(kafka_bootstrap, topics.channels)
    on_topic = b"".join(record.value or b"" for record in records)
    async with pool.connection() as conn:
        query = "SELECT * FROM channels WHERE account_id = %s"
        rows = await (await conn.execute(query, (alice.account_id,))).fetchall()
    assert len(records) == 3 and len(rows) == 2
    assert [part for part in clear if part.encode() in on_topic] == []
    assert [part for part in clear if part in repr(rows)] == []
    assert slack["target"].startswith("https://hooks.slack.com/…")

    view = ConfigurationView(
        topics.monitors, topics.channels, opener_from(sealing_keys.channel_private)
    )
    for record in records:
        view.apply(record.topic, record.key, record.value)
    assert view.channels[slack["id"]].target == f"https://hooks.slack.com{SLACK_PATH}"
    opened = view.channels[hook["id"]]
    assert (opened.target, opened.secret, opened.previous_secret) == (hook_url, new, old)

    loopback = TargetGuard(AllowList.from_entries(["127.0.0.1/32"]))
    with webhook_receiver(old) as receiver:
        async with vetted_client(loopback, 2) as http:
            channel = WebhookChannel(http)
            target = opened.model_copy(update={"target": receiver.url})
            message = channel.render(context_for(opened_notice()), target, datetime.now(UTC))
            # a receiver still on the old secret accepts during the overlap
            assert (await channel.send(message)).ok
    # and one already switched to the new secret verifies the same delivery
    assert len(accepted_documents(receiver, new)) == len(accepted_documents(receiver, old)) == 1
