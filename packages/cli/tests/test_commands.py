"""`apply` and `export` against the real API (in process, on real PostgreSQL and Kafka): a
200-monitor file of every kind round-trips, a second apply sends nothing, a one-field change is
one PATCH of that field, and --prune removes what the file lost."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from pulsecheck.cli.account_api import AccountApi
from pulsecheck.cli.commands import Exit, apply_file, export_text
from pulsecheck.cli.file_text import read_monitors
from pulsecheck.testing.read_model_fixtures import Tenant

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

SLACK = "https://hooks.slack.com/services/T000/B000/verysecretpart"
TARGETS = {
    "PULSECHECK_CHANNEL_OPS_EMAIL": "ops@example.com",
    "PULSECHECK_CHANNEL_ONCALL_SLACK": SLACK,
    "PULSECHECK_CHANNEL_RELEASE_HOOK": "https://hooks.slack.com/services/T000/B000/hookpart",
}
MONITORS = 200


def _website(i: int) -> dict[str, Any]:
    """Monitor i of the file, every kind in turn, written as export writes it."""
    name = f"site-{i:03d}"
    kind = i % 6
    site: dict[str, Any] = {"name": name}
    if kind == 0:
        site |= {"url": f"https://{name}.example/", "interval_seconds": 60,
                 "http": {"method": "HEAD", "headers": {"X-Env": "prod"}}}  # fmt: skip
    elif kind == 1:
        site |= {"url": f"tls://{name}.example:465", "warning_days": [21, 7]}
    elif kind == 2:
        site |= {"url": f"tcp://{name}.example:5432", "timeout_seconds": 3.5}
    elif kind == 3:
        dns = {"record_type": "MX", "answers_contain": [f"mx.{name}.example"]}
        site |= {"url": f"dns://{name}.example", "dns": dns}
    elif kind == 4:
        site |= {"url": f"smtp://{name}.example:587", "paused": True}
    else:
        site |= {"url": f"heartbeat://{name}",
                 "heartbeat": {"period_seconds": 86400, "grace_seconds": 600}}  # fmt: skip
    if i % 3 == 0:
        site["alert_rules"] = {"failures_before_incident": 2, "channels": ["oncall-slack"]}
    elif i % 3 == 1:
        site["alert_rules"] = {"channels": ["ops-email", "release-hook"]}
    return site


def _file_text(websites: list[dict[str, Any]]) -> str:
    document = {
        "version": 1,
        "channels": [
            {"name": "oncall-slack", "kind": "slack",
             "target_env": "PULSECHECK_CHANNEL_ONCALL_SLACK"},
            {"name": "ops-email", "kind": "email", "target_env": "PULSECHECK_CHANNEL_OPS_EMAIL",
             "event_types": ["io.pulsecheck.incident.opened.v1"]},
            {"name": "release-hook", "kind": "webhook",
             "target_env": "PULSECHECK_CHANNEL_RELEASE_HOOK", "enabled": False},
        ],
        "websites": websites,
    }  # fmt: skip
    body = yaml.safe_dump(document, sort_keys=False, width=100)
    return f"# yaml-language-server: $schema=monitors.schema.json\n{body}"


class Recorder:
    """Every request the CLI sends that is not a read."""

    def __init__(self) -> None:
        self.writes: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> None:
        if request.method != "GET":
            self.writes.append(request)


@pytest.fixture
def recorder(client: httpx.AsyncClient) -> Iterator[Recorder]:
    recording = Recorder()
    client.event_hooks["request"].append(recording)
    yield recording
    client.event_hooks["request"].remove(recording)


async def _apply(api: AccountApi, text: str, **options: bool) -> tuple[Exit, str]:
    out = io.StringIO()
    code = await apply_file(api, read_monitors(text), TARGETS, out, **options)
    return code, out.getvalue()


async def test_a_200_monitor_file_round_trips_and_applies_once(
    client: httpx.AsyncClient, alice: Tenant, recorder: Recorder
) -> None:
    api = AccountApi(client, alice.api_key)
    text = _file_text([_website(i) for i in range(MONITORS)])

    planned, diff = await _apply(api, text, dry_run=True)
    assert planned is Exit.CHANGED
    assert f"{MONITORS + 3} to create, 0 to change, 0 to remove" in diff
    assert recorder.writes == []

    code, report = await _apply(api, text)
    assert code is Exit.CHANGED, report
    assert len(recorder.writes) == MONITORS + 3
    assert report.count("ping token of") == sum(1 for i in range(MONITORS) if i % 6 == 5)
    assert SLACK not in report

    exported = await export_text(api)
    assert exported == text
    assert "verysecret" not in exported and "ops@example.com" not in exported

    recorder.writes.clear()
    again, report = await _apply(api, exported)
    assert again is Exit.UNCHANGED, report
    assert recorder.writes == []
    assert await export_text(api) == exported


async def test_one_changed_field_is_one_patch_of_that_field(
    client: httpx.AsyncClient, alice: Tenant, recorder: Recorder
) -> None:
    api = AccountApi(client, alice.api_key)
    sites = [_website(i) for i in range(6)]
    await _apply(api, _file_text(sites))
    sites[0]["http"] = {**sites[0]["http"], "method": "POST"}
    recorder.writes.clear()

    code, report = await _apply(api, _file_text(sites))
    assert code is Exit.CHANGED
    assert "~ website 'site-000': http.method" in report
    [patch] = recorder.writes
    assert patch.method == "PATCH"
    assert patch.headers["content-type"] == "application/merge-patch+json"
    assert json.loads(patch.content) == {"http": {"method": "POST"}}
    assert await export_text(api) == _file_text(sites)


async def test_prune_removes_what_the_file_lost(
    client: httpx.AsyncClient, alice: Tenant, recorder: Recorder
) -> None:
    api = AccountApi(client, alice.api_key)
    sites = [_website(i) for i in range(6)]
    await _apply(api, _file_text(sites))
    kept = [s for s in sites if s["name"] != "site-004"]
    recorder.writes.clear()

    code, report = await _apply(api, _file_text(kept))
    assert code is Exit.UNCHANGED
    assert "not in the file, kept (--prune removes): website 'site-004'" in report
    assert recorder.writes == []

    code, report = await _apply(api, _file_text(kept), prune=True)
    assert code is Exit.CHANGED and "- website 'site-004'" in report
    assert [(r.method, r.url.path.split("/")[1]) for r in recorder.writes] == [
        ("DELETE", "websites")
    ]
    assert await export_text(api) == _file_text(kept)


async def test_a_rename_keeps_the_monitor_and_a_channel_retarget_is_seen(
    client: httpx.AsyncClient, alice: Tenant, recorder: Recorder
) -> None:
    api = AccountApi(client, alice.api_key)
    sites = [_website(0)]
    await _apply(api, _file_text(sites))
    recorder.writes.clear()
    sites[0]["name"] = "storefront"
    moved = {**TARGETS, "PULSECHECK_CHANNEL_ONCALL_SLACK": SLACK + "-rotated"}
    out = io.StringIO()
    code = await apply_file(api, read_monitors(_file_text(sites)), moved, out, prune=True)
    assert code is Exit.CHANGED, out.getvalue()
    assert "~ website 'storefront': name" in out.getvalue()
    assert "~ channel 'oncall-slack': target" in out.getvalue()
    assert sorted(r.method for r in recorder.writes) == ["PATCH", "PATCH"]
    assert "rotated" not in out.getvalue()


async def test_problems_stop_the_apply_before_any_change(
    client: httpx.AsyncClient, alice: Tenant, recorder: Recorder
) -> None:
    api = AccountApi(client, alice.api_key)
    out = io.StringIO()
    missing = {k: v for k, v in TARGETS.items() if "SLACK" not in k}
    code = await apply_file(api, read_monitors(_file_text([_website(0)])), missing, out)
    assert code is Exit.FAILED
    assert "$PULSECHECK_CHANNEL_ONCALL_SLACK is not set" in out.getvalue()
    assert recorder.writes == []
