"""kill -9 of the prober, the notifier and the projector, one at a time, during an outage:
after each restart the system ends where it would have without the kills (the same story the
scenario test asserts): one incident, one alert and one recovery per channel, every completed
check logged exactly once."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from e2e.pulsecheck_api import PulseCheckApi, scrape
from e2e.running_system import RunningSystem
from e2e.scenario_steps import (
    CHANNEL_KINDS,
    ONE_OUTAGE,
    SETTLE_SECONDS,
    Sites,
    assert_uptime_logs_match_topic,
    completed_checks,
    completed_results,
    notifier_configuration_events,
    site_request,
    wait_for_alerts,
    wait_for_incident,
    wait_for_notifications,
    wait_for_notifier_to_read,
    wait_until_up,
)
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.standins.channels import ChannelStandins
from pulsecheck.testing.waiting import wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

# a kill -9'd consumer keeps its partitions until the broker drops its session (10 s for the
# notifier, prober and projector); the bound leaves room for the restart and a slow machine
TAKEOVER_SECONDS = 90.0
ONLY_DOWN = {kind: ["down"] for kind in CHANNEL_KINDS}


def test_kill_9_prober_notifier_and_projector_lose_and_repeat_nothing(
    system: RunningSystem,
    api: PulseCheckApi,
    channel_ids: list[str],
    channels: ChannelStandins,
    sites: Sites,
    kafka_bootstrap: str,
    e2e_topics: Topics,
) -> None:
    site = sites.flapping_for_kills
    configured = notifier_configuration_events(system)
    website = api.register_site(site_request(site, channel_ids, ["http"]))
    wait_for_notifier_to_read(system, configured + 1)
    wait_until_up(api, website, checks=2)

    # the prober dies while checks are due, and the site goes down while no prober runs
    killed = time.monotonic()
    system.kill("prober")
    site.go_down()
    prober_up = system.up()
    wait_for(
        lambda: any(not log["is_up"] for log in api.uptime_logs(website)),
        within=TAKEOVER_SECONDS,
        what="a failed check from the restarted prober",
    )
    prober_back = time.monotonic() - killed
    skipped = scrape(system.url("prober")).get("pulsecheck_prober_checks_skipped_total", 0)

    # the notifier dies once the down alerts are out and recorded; restarted, it replays what
    # it had not committed yet (results, delivery requests) and must send none of it again
    # while the only prober is dead past a result's freshness, every region is silent: one
    # "NOT CHECKED" incident may open and end around the outage (issue 11), never twice
    silenced = wait_for_alerts(channels, site.name, ONLY_DOWN, SETTLE_SECONDS, silence_allowed=True)
    wait_for_notifications(api, website, ONLY_DOWN, silenced)
    opened = wait_for_incident(api, website, "open")
    killed = time.monotonic()
    system.kill("notifier")
    notifier_up = system.up()
    wait_for(
        lambda: scrape(system.url("notifier")).get("pulsecheck_notifier_results_total", 0) > 0,
        within=TAKEOVER_SECONDS,
        what="the restarted notifier to judge results again",
    )
    notifier_back = time.monotonic() - killed
    replays_skipped = scrape(system.url("notifier")).get(
        "pulsecheck_notifier_duplicate_deliveries_skipped_total", 0
    )

    # the projector dies; the site recovers and is announced while nothing writes the tables
    killed = time.monotonic()
    system.kill("projector")
    site.come_back()
    silenced = wait_for_alerts(
        channels, site.name, ONE_OUTAGE, TAKEOVER_SECONDS, silence_allowed=True
    )
    projector_up = system.up()
    resolved = wait_for_incident(api, website, "resolved", within=TAKEOVER_SECONDS)
    projector_back = time.monotonic() - killed
    assert resolved["id"] == opened["id"]

    # the end state is the scenario's: nothing lost, nothing twice
    wait_for_notifications(api, website, ONE_OUTAGE, silenced)
    logged = assert_uptime_logs_match_topic(api, kafka_bootstrap, e2e_topics, website)
    # a request the killed prober had published but not committed is published again under
    # its event id (one result delivered twice); two results of one request would be a repeat
    requests = Counter(c.request_id for c in completed_checks(kafka_bootstrap, e2e_topics, website))
    assert [r for r, n in requests.items() if n > 1] == [], "a check request completed twice"
    redelivered = len(completed_results(kafka_bootstrap, e2e_topics, website)) - len(requests)
    stats = api.stats(website)
    silent_incidents = max(opened for opened, _ in silenced.values())
    assert stats["incidents"] == 1 + silent_incidents and stats["down"] >= 2
    assert channels.refused_webhooks() == 0
    wait_for_alerts(channels, site.name, ONE_OUTAGE, 5, silence_allowed=True)
    print(
        f"\ne2e kills: prober restarted in {prober_up:.1f} s, probing again {prober_back:.1f} s"
        f" after kill -9, {skipped:.0f} late requests reported skipped; notifier restarted in"
        f" {notifier_up:.1f} s, judging again {notifier_back:.1f} s after kill -9,"
        f" {replays_skipped:.0f} replayed deliveries skipped; projector restarted in"
        f" {projector_up:.1f} s, incident resolved in the API {projector_back:.1f} s after"
        f" kill -9; {logged} uptime-logs = the completed checks on the topic"
        f" ({redelivered} redelivered under their event id)"
    )
