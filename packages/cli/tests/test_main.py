"""The `pulsecheck` console script, run as a user runs it, against the API served by uvicorn on
loopback: apply, apply again (nothing to do), export gives the file back."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.testing.read_model_fixtures import Tenant
from pulsecheck.testing.resolvers import TableResolver
from pulsecheck.testing.served_apps import served_on_loopback

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

# the console script uv installed next to this interpreter
PULSECHECK = Path(sys.executable).parent / "pulsecheck"
FILE = """\
# yaml-language-server: $schema=monitors.schema.json
version: 1
channels:
- name: oncall
  kind: slack
  target_env: PULSECHECK_CHANNEL_ONCALL
websites:
- name: nightly-backup
  url: heartbeat://nightly-backup
  heartbeat:
    schedule: 0 3 * * *
    grace_seconds: 900
- name: shop
  url: https://shop.example/
  interval_seconds: 60
  alert_rules:
    channels:
    - oncall
"""


@pytest.fixture
def served_api(api_settings: QueryApiSettings) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port, with its own pool and producer."""
    guard = TargetGuard(api_settings.allow_list(), TableResolver())
    with served_on_loopback(create_app(api_settings, channel_guard=guard)) as base:
        yield base


async def _pulsecheck(env: dict[str, str], *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        PULSECHECK, *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_the_console_script_applies_once_and_exports_the_file(
    served_api: str, alice: Tenant, tmp_path: Path
) -> None:
    monitors = tmp_path / "monitors.yaml"
    monitors.write_text(FILE, encoding="utf-8")
    env = {
        **os.environ,
        "PULSECHECK_API_URL": served_api,
        "PULSECHECK_API_KEY": alice.api_key,
        "PULSECHECK_CHANNEL_ONCALL": "https://hooks.slack.com/services/T0/B0/secretpart",
    }
    code, output = await _pulsecheck(env, "apply", "-f", str(monitors), "--dry-run")
    assert (code, output.splitlines()[-1]) == (2, "3 to create, 0 to change, 0 to remove")

    code, output = await _pulsecheck(env, "apply", "-f", str(monitors))
    assert code == 2, output
    assert "ping token of 'nightly-backup' (shown this once): " in output

    code, output = await _pulsecheck(env, "apply", "-f", str(monitors))
    assert (code, output) == (0, "0 to create, 0 to change, 0 to remove\n")

    exported = tmp_path / "exported.yaml"
    code, output = await _pulsecheck(env, "export", "-o", str(exported))
    assert code == 0, output
    assert exported.read_text(encoding="utf-8") == FILE

    code, output = await _pulsecheck({**env, "PULSECHECK_API_KEY": "pc_wrong"}, "export")
    assert code == 1 and "401" in output
