"""`pulsecheck-admin suspend-account / reinstate-account` on real Kafka and PostgreSQL: a
suspended account's keys stop working and its monitors stop through their events; reinstating
resumes exactly the monitors the suspension paused."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pulsecheck.admin.main import main
from pulsecheck.query_api.api.app import build_context
from pulsecheck.query_api.api.monitor_commands import register_monitor, update_monitor
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.read_model.storage.key_access import access_for_key, create_api_key
from pulsecheck.read_model.storage.users import add_membership, create_user, first_membership
from pulsecheck.read_model.storage.web_sessions import session_identity, start_session
from pulsecheck.shared.events import MonitorUpdated
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import read_all

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def _admin(*argv: str) -> None:
    # the command runs its own event loop, as it does from a shell
    await asyncio.to_thread(main, list(argv))


async def _pause_changes(bootstrap: str, topics: Topics) -> Counter[tuple[str, bool]]:
    """Each (monitor, paused) update published so far (partitions interleave: counted)."""
    events = await read_all(bootstrap, topics.monitors)
    return Counter(
        (e.data.monitor_id, e.data.paused) for e in events if isinstance(e.data, MonitorUpdated)
    )


@pytest.mark.usefixtures("admin_environment")
async def test_a_suspended_account_is_locked_out_and_its_monitors_stop_until_reinstated(
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
    running = [
        await register_monitor(context, alice.account_id, {"name": n, "url": f"https://{n}.ex/"})
        for n in ("shop", "blog")
    ]
    paused_by_alice = await register_monitor(
        context, alice.account_id, {"name": "old", "url": "https://old.example/"}
    )
    await update_monitor(context, alice.account_id, paused_by_alice, {"paused": True})
    others = await register_monitor(context, bob.account_id, {"name": "b", "url": "https://b.ex/"})
    async with pool.connection() as conn:
        user = await create_user(conn, f"{uuid.uuid4().hex}@example.com", "hash")
        assert user is not None
        await add_membership(conn, alice.account_id, user, "owner")
        session = await start_session(
            conn, user, alice.account_id, datetime.now(UTC) + timedelta(hours=1)
        )
    before = await _pause_changes(kafka_bootstrap, topics)

    await _admin("suspend-account", str(alice.account_id))
    assert "2 monitors paused" in capsys.readouterr().out
    # each running monitor stopped through its own event, nothing else touched
    suspended = await _pause_changes(kafka_bootstrap, topics)
    assert suspended - before == Counter((str(m), True) for m in running)
    async with pool.connection() as conn:
        assert await access_for_key(conn, alice.api_key) is None
        assert await session_identity(conn, session, datetime.now(UTC)) is None
        assert await first_membership(conn, user) is None  # sign-in finds no account
        assert await access_for_key(conn, bob.api_key) is not None
        states = await conn.execute(
            "SELECT id, (spec->>'paused')::boolean AS paused FROM monitors"
            " WHERE account_id = ANY(%s)",
            ([alice.account_id, bob.account_id],),
        )
        paused = {row["id"]: row["paused"] for row in await states.fetchall()}
    assert paused == {running[0]: True, running[1]: True, paused_by_alice: True, others: False}

    # a repeat finds nothing left to pause and says so
    await _admin("suspend-account", str(alice.account_id))
    assert "0 monitors paused" in capsys.readouterr().out
    async with pool.connection() as conn:
        # a key made while suspended opens nothing either, until reinstated
        late_key = await create_api_key(conn, alice.account_id, "late", "owner")
        assert await access_for_key(conn, late_key) is None

    await _admin("reinstate-account", str(alice.account_id))
    assert "2 monitors resumed" in capsys.readouterr().out
    resumed = await _pause_changes(kafka_bootstrap, topics)
    assert resumed - suspended == Counter((str(m), False) for m in running)
    async with pool.connection() as conn:
        assert await access_for_key(conn, alice.api_key) is None  # revoked for good
        assert await access_for_key(conn, late_key) is not None
        assert await first_membership(conn, user) == alice.account_id
        states = await conn.execute(
            "SELECT id FROM monitors WHERE (spec->>'paused')::boolean AND account_id = %s",
            (alice.account_id,),
        )
        assert [row["id"] for row in await states.fetchall()] == [paused_by_alice]

    with pytest.raises(SystemExit, match="no suspended account"):
        await _admin("reinstate-account", str(alice.account_id))
    with pytest.raises(SystemExit, match="no account"):
        await _admin("suspend-account", str(uuid.uuid4()))
