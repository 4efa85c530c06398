"""`/channels`: configured through events, secrets and webhook URLs never echoed in full."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulsecheck.shared.events import ChannelTestRequested, Envelope, decode
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import read_to_end

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

SLACK = "https://hooks.slack.com/services/T000/B000/verysecretpart"


async def test_channel_lifecycle_hides_secrets(client: httpx.AsyncClient, alice: Any) -> None:
    created = await client.post(
        "/channels",
        json={"kind": "webhook", "name": "hook", "target": SLACK},
        headers=alice.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert "verysecret" not in created.text
    assert body["has_secret"] is True and len(body["secret"]) == 43
    read = await client.get(f"/channels/{body['id']}", headers=alice.headers)
    assert body["secret"] not in read.text and "secret" not in read.json()
    renamed = await client.patch(
        f"/channels/{body['id']}", json={"name": "renamed"}, headers=alice.headers
    )
    assert renamed.json()["name"] == "renamed"
    assert renamed.json()["has_secret"] is True
    assert renamed.json()["target"] == body["target"]
    retargeted = await client.patch(
        f"/channels/{body['id']}", json={"target": SLACK + "X"}, headers=alice.headers
    )
    assert retargeted.json()["target"].endswith("artX")
    site = await client.post(
        "/websites",
        json={"name": "S", "url": "https://s.example/",
              "alert_rules": {"channels": [body["id"]], "failures_before_incident": 2}},
        headers=alice.headers,
    )  # fmt: skip
    assert site.status_code == 201
    assert site.json()["alert_rules"]["channels"] == [body["id"]]
    assert (
        await client.delete(f"/channels/{body['id']}", headers=alice.headers)
    ).status_code == 204
    assert (await client.get(f"/channels/{body['id']}", headers=alice.headers)).status_code == 404


async def test_a_secret_is_never_chosen_by_the_user(client: httpx.AsyncClient, alice: Any) -> None:
    chosen = {"kind": "webhook", "name": "h", "target": SLACK, "secret": "s3cret-signing"}
    assert (await client.post("/channels", json=chosen, headers=alice.headers)).status_code == 422
    slack = await client.post(
        "/channels", json={"kind": "slack", "name": "s", "target": SLACK}, headers=alice.headers
    )
    assert slack.json()["secret"] is None
    rotate = await client.post(
        f"/channels/{slack.json()['id']}/rotate-secret", headers=alice.headers
    )
    assert rotate.status_code == 409


async def test_rotation_shows_the_new_secret_once_and_the_overlap(
    client: httpx.AsyncClient, alice: Any
) -> None:
    created = await client.post(
        "/channels", json={"kind": "webhook", "name": "h", "target": SLACK}, headers=alice.headers
    )
    rotated = await client.post(
        f"/channels/{created.json()['id']}/rotate-secret", headers=alice.headers
    )
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"] not in (None, created.json()["secret"])
    assert rotated.json()["previous_secret_valid_until"] is not None


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("webhook", "http://169.254.169.254/latest/meta-data/"),
        ("slack", "https://10.0.0.7/services/T/B/x"),
        ("slack", "https://hooks.internal.test/services/T/B/x"),
        ("webhook", "https://no-such-host.test/x"),
        ("sms", "+1 555 not a number"),
        ("email", "ops\x00@example.com"),
        ("pager", "+14155550100"),
    ],
)
async def test_channels_the_registry_or_the_guard_refuses_are_422(
    client: httpx.AsyncClient, alice: Any, kind: str, target: str
) -> None:
    refused = await client.post(
        "/channels", json={"kind": kind, "name": "x", "target": target}, headers=alice.headers
    )
    assert refused.status_code == 422, refused.text
    assert "10.1.2.3" not in refused.text
    assert (await client.get("/channels", headers=alice.headers)).json()["data"] == []


async def test_on_demand_checks_stats_and_health(client: httpx.AsyncClient, alice: Any) -> None:
    site = (
        await client.post(
            "/websites", json={"name": "D", "url": "https://d.example/"}, headers=alice.headers
        )
    ).json()
    tls = await client.post(f"/websites/{site['id']}/check-ssl", headers=alice.headers)
    assert tls.status_code == 202
    assert tls.json()["kind"] == "tls"
    now = await client.post(f"/websites/{site['id']}/check-now", headers=alice.headers)
    assert now.json()["kind"] == "http"
    stats = await client.get(
        f"/websites/{site['id']}/stats", params={"window": "30d"}, headers=alice.headers
    )
    assert stats.status_code == 200
    assert stats.json()["checks"] == 0 and stats.json()["uptime_percent"] is None
    bad_window = await client.get(
        f"/websites/{site['id']}/stats", params={"window": "1y"}, headers=alice.headers
    )
    assert bad_window.status_code == 422
    assert (await client.get("/healthz")).status_code == 200
    ready = await client.get("/readyz")
    assert ready.json() == {"postgres": "ok", "kafka": "ok", "status": "ready"}
    assert "pulsecheck_api_request_seconds" in (await client.get("/metrics")).text


async def test_send_a_test_publishes_a_request_that_names_no_recipient(
    client: httpx.AsyncClient, alice: Any, bob: Any, kafka_bootstrap: str, topics: Topics
) -> None:
    created = await client.post(
        "/channels", json={"kind": "slack", "name": "s", "target": SLACK}, headers=alice.headers
    )
    channel_id = created.json()["id"]
    asked = await client.post(f"/channels/{channel_id}/test", headers=alice.headers)
    assert asked.status_code == 202, asked.text
    # another account's channel is not found, not tested
    other = await client.post(f"/channels/{channel_id}/test", headers=bob.headers)
    assert other.status_code == 404
    records = await read_to_end(kafka_bootstrap, topics.channel_tests)
    mine = [r for r in records if r.key == channel_id.encode()]
    assert len(mine) == 1 and b"verysecret" not in (mine[0].value or b"")
    request = decode(mine[0].value)
    assert isinstance(request, Envelope) and isinstance(request.data, ChannelTestRequested)
    assert request.id == asked.json()["test_id"]
    assert request.data.account_id == str(alice.account_id)
