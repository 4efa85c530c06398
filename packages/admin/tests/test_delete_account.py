"""`pulsecheck-admin delete-account` on real Kafka and PostgreSQL: the API's own command."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pulsecheck.admin.main import main
from pulsecheck.query_api.api.app import build_context
from pulsecheck.query_api.api.channel_commands import configure_channel
from pulsecheck.query_api.api.monitor_commands import register_monitor
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.events import ChannelRemoved, MonitorRemoved
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import read_all

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


@pytest.mark.usefixtures("admin_environment")
async def test_delete_account_removes_each_through_its_event_then_the_account(
    api_settings: QueryApiSettings,
    pool: Pool,
    producer: EventProducer,
    alice: Any,
    bob: Any,
    kafka_bootstrap: str,
    topics: Topics,
    capsys: pytest.CaptureFixture[str],
) -> None:
    context = build_context(api_settings, pool, producer)
    site = {"name": "Shop", "url": "https://shop.example/"}
    monitor = await register_monitor(context, alice.account_id, site)
    channel, _ = await configure_channel(
        context, alice.account_id, {"kind": "email", "name": "ops", "target": "ops@example.com"}
    )
    kept = await register_monitor(context, bob.account_id, site)
    # the command runs its own event loop, as it does from a shell
    await asyncio.to_thread(main, ["delete-account", str(alice.account_id)])
    assert "removed 1 monitors and 1 channels" in capsys.readouterr().out
    removed = [e.data for e in await read_all(kafka_bootstrap, topics.monitors)]
    assert [r.monitor_id for r in removed if isinstance(r, MonitorRemoved)] == [str(monitor)]
    ended = [e.data for e in await read_all(kafka_bootstrap, topics.channels)]
    assert [c.channel_id for c in ended if isinstance(c, ChannelRemoved)] == [str(channel)]
    async with pool.connection() as conn:
        accounts = await conn.execute("SELECT id FROM accounts")
        assert [row["id"] for row in await accounts.fetchall()] == [bob.account_id]
        live = await conn.execute("SELECT id FROM monitors WHERE removed_at IS NULL")
        assert [row["id"] for row in await live.fetchall()] == [kept]
    # a second run finds no account: said, not silently done
    with pytest.raises(SystemExit, match="no account"):
        await asyncio.to_thread(main, ["delete-account", str(alice.account_id)])
