"""The whole system as a user runs it: sites registered through the REST API are checked,
logged, alerted on once per channel when one goes down and when it recovers, and counted."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from e2e.pulsecheck_api import PulseCheckApi, scrape
from e2e.running_system import RunningSystem
from e2e.scenario_steps import (
    CHANNEL_KINDS,
    ONE_OUTAGE,
    SETTLE_SECONDS,
    Sites,
    assert_alert_links_open,
    assert_uptime_logs_match_topic,
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


def metric(samples: dict[str, float], name: str, **labels: str) -> float:
    """The sum of a metric's samples that carry all of `labels`."""
    wanted = [f'{key}="{value}"' for key, value in labels.items()]
    return sum(
        value
        for sample, value in samples.items()
        if sample.split("{", 1)[0] == name and all(label in sample for label in wanted)
    )


def test_sites_are_checked_logged_and_alerted_once_per_channel(
    system: RunningSystem,
    api: PulseCheckApi,
    channel_ids: list[str],
    channels: ChannelStandins,
    sites: Sites,
    kafka_bootstrap: str,
    e2e_topics: Topics,
    signed_in_browser: httpx.Client,
) -> None:
    configured = notifier_configuration_events(system)
    steady = api.register_site(site_request(sites.steady, channel_ids, ["http", "tls"]))
    expiring = api.register_site(site_request(sites.expiring, channel_ids, ["http", "tls"]))
    # the flapping site's port is closed while down, so only its HTTP answer is judged
    flapping = api.register_site(site_request(sites.flapping, channel_ids, ["http"]))
    wait_for_notifier_to_read(system, configured + 3)
    for website in (steady, expiring):
        api.check_ssl_now(website)

    # results appear in uptime-logs and ssl-logs
    for website in (steady, expiring, flapping):
        wait_until_up(api, website, checks=2)
    steady_tls = wait_for(lambda: api.ssl_logs(steady), within=SETTLE_SECONDS, what="ssl-logs")
    assert steady_tls[0]["is_valid"] and steady_tls[0]["days_remaining"] > 300
    assert not steady_tls[0]["needs_renewal"]
    expiring_tls = wait_for(lambda: api.ssl_logs(expiring), within=SETTLE_SECONDS, what="ssl-logs")
    assert expiring_tls[0]["is_valid"] and expiring_tls[0]["days_remaining"] in (4, 5)
    assert expiring_tls[0]["needs_renewal"]
    assert api.website(steady)["status"] == "up"

    # the certificate expiring in 5 days is announced once on every channel
    wait_for_alerts(
        channels, "Expiring shop", {k: ["expiring"] for k in CHANNEL_KINDS}, SETTLE_SECONDS
    )

    # the flapping site goes down: exactly one incident, one alert per channel
    went_down = datetime.now(UTC)
    sites.flapping.go_down()
    opened = wait_for_incident(api, flapping, "open")
    assert opened["kind"] == "down" and opened["cause_kind"] == "refused"
    wait_for_alerts(channels, "Flapping shop", {k: ["down"] for k in CHANNEL_KINDS}, 30)
    assert api.website(flapping)["status"] == "down"

    # it comes back: the incident resolves, one recovery message per channel
    sites.flapping.come_back()
    resolved = wait_for_incident(api, flapping, "resolved")
    assert resolved["id"] == opened["id"] and resolved["duration_seconds"] > 0
    assert datetime.fromisoformat(resolved["opened_at"]) >= went_down
    wait_for_alerts(channels, "Flapping shop", ONE_OUTAGE, 30)
    # the read model saw the same deliveries the stand-ins did: one per channel and alert
    wait_for_notifications(api, flapping, ONE_OUTAGE)
    assert channels.refused_webhooks() == 0

    # stats show the downtime; every completed check is in uptime-logs once
    stats = api.stats(flapping)
    assert stats["down"] >= 2 and stats["up"] >= 4 and stats["incidents"] == 1
    assert stats["uptime_percent"] is not None and 0 < stats["uptime_percent"] < 100
    assert_uptime_logs_match_topic(api, kafka_bootstrap, e2e_topics, flapping)

    # every service's /metrics counted what happened
    checks_logged = sum(len(api.uptime_logs(w)) for w in (steady, expiring, flapping))
    published = scrape(system.url("query-api"))
    configured_events = sum(
        metric(published, "pulsecheck_api_events_published_total", topic=topic)
        for topic in (e2e_topics.monitors, e2e_topics.channels)
    )
    assert configured_events >= 3 + len(channel_ids)
    # every logged check was requested: by the scheduler on its grid, or by the API (the first
    # check of a new website and check-ssl run at once, on demand)
    on_demand = metric(
        published, "pulsecheck_api_events_published_total", topic=e2e_topics.checks_requested
    )
    assert on_demand >= 3
    scheduled = scrape(system.url("scheduler"))
    emitted = metric(scheduled, "pulsecheck_scheduler_requests_emitted_total")
    assert emitted + on_demand >= checks_logged
    probed = scrape(system.url("prober"))
    assert metric(probed, "pulsecheck_prober_checks_total", outcome="down") >= stats["down"]
    projected = scrape(system.url("projector"))
    assert metric(projected, "pulsecheck_projector_events_total") >= checks_logged
    notified = scrape(system.url("notifier"))
    for kind in CHANNEL_KINDS:
        # the certificate warning, the outage and the recovery
        sent = metric(notified, "pulsecheck_notifier_delivery_attempts_total", kind=kind)
        assert sent >= 3, kind
    # and the alerts stayed single: nothing arrived twice while the rest was checked
    wait_for_alerts(channels, "Flapping shop", ONE_OUTAGE, 5)
    wait_for_alerts(channels, "Expiring shop", {k: ["expiring"] for k in CHANNEL_KINDS}, 5)

    # every link in every alert opens, signed in through the web app where the page needs it;
    # the sites are all up again now
    websites = {"Steady shop": steady, "Expiring shop": expiring, "Flapping shop": flapping}
    followed = assert_alert_links_open(
        channels, signed_in_browser, system.url("query-api"), websites
    )
    # three alerts (expiring, down, recovered), each linking the site and its page on every
    # channel but SMS
    assert followed >= 3 * 2 * (len(CHANNEL_KINDS) - 1), followed
    print(f"\ne2e scenario: followed {followed} links in the alerts, each answered 200")
