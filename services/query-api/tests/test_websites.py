"""`/websites`: commands publish monitor events and a GET right after finds the result."""

from __future__ import annotations

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from pulsecheck.shared.events import MonitorRegistered, MonitorRemoved, MonitorUpdated, decode
from pulsecheck.shared.topics import Topics

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

NEW_SITE = {"name": "Example", "url": "https://Example.COM/health", "interval_seconds": 60}


async def _monitor_events(kafka_bootstrap: str, topics: Topics, expected: int) -> list[object]:
    consumer = AIOKafkaConsumer(
        topics.monitors, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    found: list[object] = []
    try:
        for _ in range(50):
            polled = await consumer.getmany(timeout_ms=200)
            for records in polled.values():
                for record in records:
                    found.append(None if record.value is None else decode(record.value))
            if len(found) >= expected:
                break
    finally:
        await consumer.stop()
    return found


async def test_create_then_read_finds_the_website(client: httpx.AsyncClient, alice) -> None:
    created = await client.post("/websites", json=NEW_SITE, headers=alice.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["url"] == "https://example.com/health"
    assert body["status"] == "unknown"
    assert body["active"] is True
    read = await client.get(f"/websites/{body['id']}", headers=alice.headers)
    assert read.status_code == 200
    assert read.json()["name"] == "Example"


async def test_commands_publish_monitor_events_and_a_tombstone(
    client: httpx.AsyncClient, alice, kafka_bootstrap: str, topics: Topics
) -> None:
    created = (await client.post("/websites", json=NEW_SITE, headers=alice.headers)).json()
    patched = await client.patch(
        f"/websites/{created['id']}", json={"paused": True}, headers=alice.headers
    )
    assert patched.status_code == 200
    assert patched.json()["active"] is False
    deleted = await client.delete(f"/websites/{created['id']}", headers=alice.headers)
    assert deleted.status_code == 204
    gone = await client.get(f"/websites/{created['id']}", headers=alice.headers)
    assert gone.status_code == 404

    events = await _monitor_events(kafka_bootstrap, topics, 4)
    kinds = [type(getattr(e, "data", e)).__name__ for e in events]
    assert kinds == ["MonitorRegistered", "MonitorUpdated", "MonitorRemoved", "NoneType"]
    registered = events[0].data
    assert isinstance(registered, MonitorRegistered)
    assert registered.account_id == str(alice.account_id)
    assert isinstance(events[1].data, MonitorUpdated)
    assert isinstance(events[2].data, MonitorRemoved)


async def test_duplicate_url_in_one_account_is_a_conflict(
    client: httpx.AsyncClient, alice, bob
) -> None:
    first = await client.post("/websites", json=NEW_SITE, headers=alice.headers)
    again = await client.post(
        "/websites", json={**NEW_SITE, "url": "https://example.com/health"}, headers=alice.headers
    )
    assert again.status_code == 409
    assert again.json()["error"] == "duplicate_url"
    assert again.json()["existing_id"] == first.json()["id"]
    other_account = await client.post("/websites", json=NEW_SITE, headers=bob.headers)
    assert other_account.status_code == 201


@pytest.mark.parametrize(
    ("change", "reason_part"),
    [
        ({"url": "ftp://example.com"}, "unknown scheme"),
        ({"url": "https://user:pw@example.com"}, "credentials"),
        ({"url": "https://example.com:0/"}, "port"),
        ({"url": "https:///nohost"}, "no host"),
        ({"interval_seconds": 5}, "at least 30"),
        ({"warning_days": [7, 7]}, "repeat"),
        ({"check_kinds": []}, "check_kinds"),
        ({"url": "http://example.com", "check_kinds": ["tls"]}, "https"),
        ({"alert_rules": {"channels": ["nope"]}}, "unknown channel"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
async def test_invalid_websites_are_refused_with_a_reason(
    client: httpx.AsyncClient, alice, change: dict[str, object], reason_part: str
) -> None:
    response = await client.post("/websites", json={**NEW_SITE, **change}, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert reason_part in response.json()["reason"]


async def test_list_filters_and_walks_pages(client: httpx.AsyncClient, alice) -> None:
    ids = []
    for n in range(7):
        body = {"name": f"site {n}", "url": f"https://site{n}.example/", "paused": n % 2 == 1}
        response = await client.post("/websites", json=body, headers=alice.headers)
        ids.append(response.json()["id"])
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/websites", params=params, headers=alice.headers)).json()
        seen.extend(item["id"] for item in page["data"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    active = await client.get("/websites", params={"active": "true"}, headers=alice.headers)
    assert len(active.json()["data"]) == 4
    found = await client.get("/websites", params={"q": "SITE3"}, headers=alice.headers)
    assert [item["name"] for item in found.json()["data"]] == ["site 3"]
    unknown = await client.get("/websites", params={"status": "unknown"}, headers=alice.headers)
    assert len(unknown.json()["data"]) == 7


async def test_bad_cursor_and_missing_key_are_client_errors(
    client: httpx.AsyncClient, alice
) -> None:
    bad = await client.get("/websites", params={"cursor": "garbage!"}, headers=alice.headers)
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_cursor"
    anonymous = await client.get("/websites")
    assert anonymous.status_code == 401
    assert "API key" in anonymous.json()["reason"]
    wrong = await client.get("/websites", headers={"Authorization": "Bearer pc_not-a-real-key"})
    assert wrong.status_code == 401


async def _records_on_monitors_topic(kafka_bootstrap: str, topics: Topics) -> int:
    """How many records the monitors topic holds: the sum of its end offsets."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topics.monitors])
    finally:
        await admin.close()
    partitions = [TopicPartition(topics.monitors, p["partition"]) for p in described["partitions"]]
    assert partitions
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
    return sum(ends.values())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "ghost\u0000monitor"}, "name"),
        ({"tls_schedule": "0 0 30 2 *"}, "tls_schedule"),
        ({"tls_schedule": "61 * * * *"}, "tls_schedule"),
        ({"alert_rules": {"reminder_minutes": 10**13}}, "reminder_minutes"),
    ],
)
async def test_a_refused_website_publishes_nothing(
    client: httpx.AsyncClient,
    alice,
    kafka_bootstrap: str,
    topics: Topics,
    change: dict[str, object],
    field: str,
) -> None:
    created = await client.post("/websites", json={**NEW_SITE, **change}, headers=alice.headers)
    assert created.status_code == 422, created.text
    assert field in created.json()["reason"]
    site = (await client.post("/websites", json=NEW_SITE, headers=alice.headers)).json()
    before = await _records_on_monitors_topic(kafka_bootstrap, topics)
    patched = await client.patch(f"/websites/{site['id']}", json=change, headers=alice.headers)
    assert patched.status_code == 422, patched.text
    assert await _records_on_monitors_topic(kafka_bootstrap, topics) == before == 1


@pytest.mark.parametrize(
    ("site", "kinds"),
    [
        ({"url": "tcp://db.example.com:5432"}, ["tcp"]),
        ({"url": "smtp://mail.example.com:587", "check_kinds": ["tls", "tcp"]}, ["tls", "tcp"]),
        ({"url": "dns://example.com", "dns": {"record_type": "MX"}}, ["dns"]),
    ],
)
async def test_the_new_kinds_are_accepted_by_their_url(
    client: httpx.AsyncClient, alice, site: dict[str, object], kinds: list[str]
) -> None:
    created = await client.post("/websites", json={"name": "k", **site}, headers=alice.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["url"], body["check_kinds"]) == (site["url"], kinds)
    assert (body["dns"] or {}).get("record_type") == (site.get("dns") or {}).get("record_type")


async def test_patch_merges_alert_rules_field_by_field(client: httpx.AsyncClient, alice) -> None:
    rules = {"quiet_hours": {"start": "22:00", "end": "07:00"}, "reminder_minutes": 30}
    site = (
        await client.post(
            "/websites", json=NEW_SITE | {"alert_rules": rules}, headers=alice.headers
        )
    ).json()
    patch = b'{"alert_rules": {"failures_before_incident": 5, "reminder_minutes": null}}'
    patched = await client.patch(
        f"/websites/{site['id']}",
        content=patch,
        headers=alice.headers | {"content-type": "application/merge-patch+json"},
    )
    assert patched.status_code == 200, patched.text
    merged = patched.json()["alert_rules"]
    assert merged["failures_before_incident"] == 5
    assert merged["quiet_hours"]["start"] == "22:00"  # kept
    assert merged["reminder_minutes"] is None  # null reset it
    assert merged["channels"] == "all"
    assert patched.json()["interval_seconds"] == 60
    as_json = await client.patch(
        f"/websites/{site['id']}", json={"http": {"method": "HEAD"}}, headers=alice.headers
    )
    assert as_json.json()["alert_rules"]["failures_before_incident"] == 5
    assert as_json.json()["http"]["method"] == "HEAD"
    refused = await client.patch(
        f"/websites/{site['id']}",
        content=b"{}",
        headers=alice.headers | {"content-type": "text/plain"},
    )
    assert refused.status_code == 415


async def test_openapi_states_the_merge_patch(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    body = document["paths"]["/websites/{website_id}"]["patch"]["requestBody"]["content"]
    assert set(body) == {"application/merge-patch+json", "application/json"}
