"""`/ping/<token>`: no API key, the token finds its monitor, a ping becomes one event."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.events import HeartbeatPinged, MonitorRegistered, decode
from pulsecheck.shared.events.heartbeats import MAX_PING_BODY_CHARS
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import read_at_least
from pulsecheck.testing.read_model_fixtures import api_client
from pulsecheck.testing.served_apps import served_on_loopback
from pulsecheck.testing.waiting import wait_for

pytestmark = pytest.mark.kafka

HEARTBEAT = {
    "name": "nightly backup",
    "url": "heartbeat://nightly-backup",
    "heartbeat": {"period_seconds": 86_400, "grace_seconds": 600},
}


async def _pings(kafka_bootstrap: str, topics: Topics, count: int) -> list[HeartbeatPinged]:
    records = await read_at_least(kafka_bootstrap, topics.heartbeats, count)
    pings = [decode(record.value).data for record in records]  # type: ignore[union-attr]
    assert all(isinstance(p, HeartbeatPinged) for p in pings)
    return pings  # type: ignore[return-value]


async def test_a_heartbeat_gets_a_token_once_and_pings_become_events(
    client: httpx.AsyncClient, alice: Any, kafka_bootstrap: str, topics: Topics
) -> None:
    created = await client.post("/websites", json=HEARTBEAT, headers=alice.headers)
    assert created.status_code == 201, created.text
    website = created.json()
    token = website["ping_token"]
    assert website["check_kinds"] == ["heartbeat"] and len(token) >= 43
    shown_again = await client.get(f"/websites/{website['id']}", headers=alice.headers)
    assert shown_again.json()["ping_token"] is None

    assert (await client.get(f"/ping/{token}")).text == "OK"
    assert (await client.post(f"/ping/{token}/start")).status_code == 200
    assert (await client.post(f"/ping/{token}/fail", content=b"disk full")).status_code == 200
    too_long = b"x" * (MAX_PING_BODY_CHARS + 5000)
    assert (await client.post(f"/ping/{token}/3", content=too_long)).status_code == 200
    assert (await client.get(f"/ping/{token}/256")).status_code == 422

    pings = await _pings(kafka_bootstrap, topics, 4)
    assert [(p.signal, p.exit_code) for p in pings] == [
        ("success", None), ("start", None), ("fail", None), ("success", 3),
    ]  # fmt: skip
    assert {p.monitor_id for p in pings} == {website["id"]}
    assert pings[2].body == "disk full"
    assert len(pings[3].body) == MAX_PING_BODY_CHARS
    # only the hash travels, in the monitor's spec
    records = await read_at_least(kafka_bootstrap, topics.monitors, 1)
    spec = decode(records[0].value).data  # type: ignore[union-attr]
    assert isinstance(spec, MonitorRegistered) and spec.ping_token_sha256 is not None
    assert token not in records[0].value.decode()


async def test_unknown_tokens_are_not_found_and_each_token_is_rate_limited(
    client: httpx.AsyncClient, alice: Any, api_settings: Any
) -> None:
    unknown = await client.post("/ping/" + "A" * 43)
    assert unknown.status_code == 404
    created = await client.post("/websites", json=HEARTBEAT, headers=alice.headers)
    token = created.json()["ping_token"]
    answers = [(await client.post(f"/ping/{token}")).status_code for _ in range(61)]
    assert answers == [200] * api_settings.pings_per_minute + [429]
    limited = await client.post(f"/ping/{token}")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


async def _heartbeat_token(client: httpx.AsyncClient, alice: Any) -> str:
    created = await client.post("/websites", json=HEARTBEAT, headers=alice.headers)
    assert created.status_code == 201, created.text
    token: str = created.json()["ping_token"]
    return token


async def test_the_ping_lane_answers_as_the_routes_do(
    client: httpx.AsyncClient, alice: Any, kafka_bootstrap: str, topics: Topics
) -> None:
    token = await _heartbeat_token(client, alice)
    # "+7" is an exit code FastAPI reads as 7; the lane leaves that spelling to the routes
    by_lane = await client.post(f"/ping/{token}/7", content=b"done")
    by_routes = await client.post(f"/ping/{token}/+7", content=b"done")
    assert by_lane.status_code == by_routes.status_code == 200
    assert by_lane.content == by_routes.content == b"OK"
    assert by_lane.headers == by_routes.headers
    assert by_lane.headers["x-frame-options"] == "DENY"
    assert by_lane.headers["content-security-policy"]
    pings = await _pings(kafka_bootstrap, topics, 2)
    assert [(p.signal, p.exit_code, p.body) for p in pings] == [("success", 7, "done")] * 2

    unknown = "B" * 43
    lane_404 = await client.get(f"/ping/{unknown}/7")
    routes_404 = await client.get(f"/ping/{unknown}/+7")
    assert lane_404.status_code == routes_404.status_code == 404
    assert (
        lane_404.json()
        == routes_404.json()
        == {
            "error": "not_found",
            "reason": "ping token not found",
        }
    )
    assert lane_404.headers == routes_404.headers

    metrics = (await client.get("/metrics")).text
    counted = 'route="/ping/{token}/{code}",status="200"} 2.0'
    assert f'pulsecheck_api_request_seconds_count{{method="POST",{counted}' in metrics


async def test_a_ping_the_broker_does_not_take_is_a_503(
    api_settings: QueryApiSettings, pool: Pool, kafka_bootstrap: str, alice: Any
) -> None:
    settings = api_settings.model_copy(update={"publish_timeout_seconds": 0.5})
    producer = EventProducer.connect(kafka_bootstrap, "ping-tests-stopped")
    await producer.start()
    async with api_client(settings, pool, producer) as client:
        token = await _heartbeat_token(client, alice)
        await producer.stop()  # sends now wait for a broker they never reach
        refused = await client.post(f"/ping/{token}", content=b"ok")
    assert refused.status_code == 503
    assert refused.json()["error"] == "event_bus_unavailable"
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["x-content-type-options"] == "nosniff"


async def test_a_removed_heartbeats_token_stops_working_at_once(
    client: httpx.AsyncClient, alice: Any
) -> None:
    token = await _heartbeat_token(client, alice)
    assert (await client.post(f"/ping/{token}")).status_code == 200  # now in memory
    website = (await client.get("/websites", headers=alice.headers)).json()["data"][0]
    removed = await client.delete(f"/websites/{website['id']}", headers=alice.headers)
    assert removed.status_code == 204
    assert (await client.post(f"/ping/{token}")).status_code == 404


def test_a_removal_by_one_replica_stops_the_token_in_another(
    api_settings: QueryApiSettings, alice: Any
) -> None:
    # no refresh during the test and no bucket in the way: only the notice can do it
    settings = api_settings.model_copy(
        update={"ping_tokens_refresh_seconds": 3600, "pings_per_minute": 10_000}
    )
    one, other = create_app(settings), create_app(settings)
    with served_on_loopback(one) as one_url, served_on_loopback(other) as other_url:
        wait_for(other.state.change_feed.listening.is_set, within=30, what="the replica listening")
        created = httpx.post(f"{one_url}/websites", json=HEARTBEAT, headers=alice.headers)
        assert created.status_code == 201, created.text
        token, website = created.json()["ping_token"], created.json()["id"]
        assert httpx.post(f"{other_url}/ping/{token}").status_code == 200  # in its memory
        removed = httpx.delete(f"{one_url}/websites/{website}", headers=alice.headers)
        assert removed.status_code == 204
        assert httpx.post(f"{one_url}/ping/{token}").status_code == 404
        wait_for(
            lambda: httpx.post(f"{other_url}/ping/{token}").status_code == 404,
            within=10,
            what="the other replica forgetting the token",
            interval=0.02,
        )
