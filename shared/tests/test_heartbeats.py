"""Heartbeat options and URLs: the contract's rules, as tables."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pulsecheck.shared.events import HeartbeatOptions, MonitorConfiguration


@pytest.mark.parametrize(
    ("fields", "period", "schedule"),
    [
        pytest.param({}, 3600, None, id="nothing said: hourly"),
        pytest.param({"period_seconds": 60}, 60, None, id="a period"),
        pytest.param({"schedule": "30 2 * * *"}, None, "30 2 * * *", id="a schedule"),
    ],
)
def test_timing(fields: dict[str, Any], period: int | None, schedule: str | None) -> None:
    options = HeartbeatOptions.model_validate(fields)
    assert (options.period_seconds, options.schedule) == (period, schedule)
    # what a spec carries decodes to itself (the default period is written out)
    assert HeartbeatOptions.model_validate(options.model_dump()) == options


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"period_seconds": 60, "schedule": "* * * * *"}, id="both timings"),
        pytest.param({"period_seconds": 0}, id="no period"),
        pytest.param({"period_seconds": 8 * 86_400}, id="period beyond the pings' retention"),
        pytest.param({"schedule": "0 0 30 2 *"}, id="a schedule that never fires"),
        pytest.param({"grace_seconds": -1}, id="negative grace"),
    ],
)
def test_refused_options(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        HeartbeatOptions.model_validate(fields)


def test_run_limit_defaults_to_the_grace() -> None:
    assert HeartbeatOptions(grace_seconds=90).run_limit_seconds == 90
    assert HeartbeatOptions(grace_seconds=90, max_run_seconds=600).run_limit_seconds == 600


def test_a_heartbeat_url_checks_heartbeats_by_default() -> None:
    spec = MonitorConfiguration(name="backup", url="HEARTBEAT://Nightly-Backup")
    assert spec.url == "heartbeat://nightly-backup"
    assert spec.check_kinds == ["heartbeat"]
    assert spec.heartbeat_options() == HeartbeatOptions()


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"url": "heartbeat://job:80"}, id="a port"),
        pytest.param({"url": "heartbeat://job/path"}, id="a path"),
        pytest.param({"url": "https://example.com", "check_kinds": ["heartbeat"]}, id="web url"),
        pytest.param({"url": "heartbeat://job", "check_kinds": ["http"]}, id="probed kind"),
        pytest.param(
            {"url": "https://example.com", "heartbeat": {"period_seconds": 60}},
            id="options without a heartbeat url",
        ),
    ],
)
def test_refused_heartbeat_monitors(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        MonitorConfiguration.model_validate({"name": "job", **fields})
