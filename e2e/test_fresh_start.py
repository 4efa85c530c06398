"""A fresh system alerts within its first minute (issue 11): fresh topics, services just started
by `scripts/run`, a website whose target refuses every connection, and the DOWN alert at every
channel's stand-in within 60 s of registering it. (faust once created its own topics while
joining and left an agent without partitions until a metadata refresh minutes later.)

Runs first of the e2e tests (see conftest), on the session's system before anything else."""

from __future__ import annotations

import time

import pytest

from e2e.pulsecheck_api import PulseCheckApi
from e2e.running_system import RunningSystem
from e2e.scenario_steps import (
    CHANNEL_KINDS,
    Sites,
    notifier_configuration_events,
    site_request,
    wait_for_alerts,
    wait_for_incident,
    wait_for_notifier_to_read,
)
from pulsecheck.testing.standins.channels import ChannelStandins

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

FIRST_MINUTE = 60.0


def test_a_fresh_system_alerts_within_its_first_minute(
    system: RunningSystem,
    api: PulseCheckApi,
    channel_ids: list[str],
    channels: ChannelStandins,
    sites: Sites,
) -> None:
    site = sites.failing
    assert not site.is_up
    assert system.first_started is not None
    configured = notifier_configuration_events(system)
    registered = time.monotonic()
    website = api.register_site(site_request(site, channel_ids, ["http"]))

    wait_for_alerts(channels, site.name, {k: ["down"] for k in CHANNEL_KINDS}, FIRST_MINUTE)
    alerted = time.monotonic()
    assert alerted - registered <= FIRST_MINUTE
    opened = wait_for_incident(api, website, "open")
    assert opened["kind"] == "down" and opened["cause_kind"] == "refused"
    wait_for_notifier_to_read(system, configured + 1)
    print(
        f"\ne2e fresh start: DOWN on every channel {alerted - registered:.1f} s after"
        f" registering, {alerted - system.first_started:.1f} s after scripts/run began"
    )

    # its failing checks would otherwise go on for the whole session
    api.remove_site(website)
