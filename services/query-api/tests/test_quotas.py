"""Tenant quotas: the pure refusals as a table, then the API refusing before it publishes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.api.quotas import Limits, limits_for, monitor_refusal, tcp_port
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.account_limits import LimitOverrides, set_limit_overrides
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.events import MonitorSpec
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.testing.resolvers import TableResolver

LIMITS = Limits(max_monitors=2, max_channels=1, min_interval_seconds=60, tcp_ports=frozenset({443}))


def spec(url: str = "https://a.example/", interval: int = 60, **more: Any) -> MonitorSpec:
    return MonitorSpec.model_validate(
        {"monitor_id": "m", "account_id": "a", "name": "n", "url": url,
         "interval_seconds": interval, **more}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "monitor", "live", "quota"),
    [
        ("under every quota", spec(), 1, None),
        ("an update is never counted", spec(), None, None),
        ("third monitor", spec(), 2, "max_monitors"),
        ("too frequent", spec(interval=30), 0, "min_interval_seconds"),
        ("tcp on an open port", spec("tcp://db.example:443"), 0, None),
        ("tcp on a closed port", spec("tcp://db.example:25565"), 0, "allowed_tcp_ports"),
        ("tcp check of a web URL's port", spec("https://a.example:8006/", check_kinds=["tcp"]),
         0, "allowed_tcp_ports"),
        ("web check on any port", spec("https://a.example:8006/"), 0, None),
    ],
)  # fmt: skip
def test_refusals(name: str, monitor: MonitorSpec, live: int | None, quota: str | None) -> None:
    refusal = monitor_refusal(LIMITS, monitor, live)
    named = None if refusal is None else refusal.extra.get("quota", refusal.extra.get("policy"))
    assert named == quota, name
    if refusal is not None:
        assert quota is not None and quota in refusal.reason


def test_account_overrides_win_but_never_undercut_the_deployment_interval() -> None:
    settings = QueryApiSettings(min_interval_seconds=30, max_monitors_per_account=500)
    own = limits_for(settings, LimitOverrides(max_monitors=0, min_interval_seconds=10))
    assert (own.max_monitors, own.min_interval_seconds) == (0, 30)
    assert limits_for(settings, LimitOverrides(any_tcp_port=True)).tcp_ports is None
    assert tcp_port("https://a.example/") == 443 and tcp_port("tcp://b.example:22") == 22


@pytest.fixture
async def small_quotas(
    api_settings: QueryApiSettings, pool: Pool, producer: EventProducer
) -> AsyncIterator[httpx.AsyncClient]:
    settings = api_settings.model_copy(
        update={"max_monitors_per_account": 2, "max_channels_per_account": 1}
    )
    guard = TargetGuard(settings.allow_list(), TableResolver())
    app = create_app(settings, pool=pool, producer=producer, channel_guard=guard)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        yield http


@pytest.mark.postgres
@pytest.mark.kafka
async def test_quotas_are_refused_with_their_name_before_anything_is_published(
    small_quotas: httpx.AsyncClient, alice: Any, bob: Any, pool: Pool
) -> None:
    client = small_quotas
    for n in range(2):
        made = await client.post(
            "/websites", json={"name": f"s{n}", "url": f"https://s{n}.example/"},
            headers=alice.headers,
        )  # fmt: skip
        assert made.status_code == 201, made.text
    third = await client.post(
        "/websites", json={"name": "s2", "url": "https://s2.example/"}, headers=alice.headers
    )
    assert third.status_code == 403 and third.json()["quota"] == "max_monitors", third.text
    listed = await client.get("/websites", headers=alice.headers)
    assert len(listed.json()["data"]) == 2  # the API writes only what it published
    port = await client.post(
        "/websites", json={"name": "db", "url": "tcp://db.example:25565"}, headers=bob.headers
    )
    assert port.status_code == 422 and port.json()["policy"] == "allowed_tcp_ports", port.text
    async with pool.connection() as conn:
        await set_limit_overrides(conn, bob.account_id, LimitOverrides(any_tcp_port=True))
    opened = await client.post(
        "/websites", json={"name": "db", "url": "tcp://db.example:25565"}, headers=bob.headers
    )
    assert opened.status_code == 201, opened.text
    channel = {"kind": "email", "name": "ops", "target": "ops@example.com"}
    assert (await client.post("/channels", json=channel, headers=bob.headers)).status_code == 201
    extra = await client.post("/channels", json=channel, headers=bob.headers)
    assert extra.status_code == 403 and extra.json()["quota"] == "max_channels", extra.text
