"""Steps and observations shared by the scenario and the kill test, so both are judged alike."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from e2e.pulsecheck_api import PulseCheckApi, scrape
from e2e.running_system import RunningSystem
from pulsecheck.shared.events import CheckCompleted
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import read_all
from pulsecheck.testing.standins.channels import ChannelStandins
from pulsecheck.testing.target_sites import TargetSite
from pulsecheck.testing.waiting import wait_for

CHANNEL_KINDS = ("slack", "sms", "email", "webhook")
ALERT_PREFIXES = {
    "DOWN": "down",
    "RECOVERED": "recovered",
    "CERTIFICATE EXPIRING": "expiring",
    "NOT CHECKED": "silent",
}
# the end of a "NOT CHECKED" incident: results came again (issue 11, every region silent)
REPORTED_AGAIN = "is reported on again"
# a flapping site's whole story, as every channel must tell it: one alert down, one recovery
ONE_OUTAGE = {kind: ["down", "recovered"] for kind in CHANNEL_KINDS}
INTERVAL_SECONDS = 2
SETTLE_SECONDS = 60.0
TRIGGER_TYPES = {
    "down": "io.pulsecheck.incident.opened.v1",
    "recovered": "io.pulsecheck.incident.resolved.v1",
    "expiring": "io.pulsecheck.certificate.expiring.v1",
}


@dataclass(frozen=True)
class Sites:
    steady: TargetSite
    expiring: TargetSite
    flapping: TargetSite
    flapping_for_kills: TargetSite
    # down from the start: the fresh system's first alert
    failing: TargetSite


def site_request(site: TargetSite, channel_ids: list[str], kinds: list[str]) -> dict[str, Any]:
    """POST /websites: checked every 2 s, TLS every minute, an incident after 2 failures."""
    return {
        "name": site.name,
        "url": site.url,
        "check_kinds": kinds,
        "interval_seconds": INTERVAL_SECONDS,
        "timeout_seconds": 2,
        "tls_schedule": "* * * * *",
        "alert_rules": {
            "failures_before_incident": 2,
            "successes_before_resolve": 2,
            "channel_ids": channel_ids,
        },
    }


def notifier_configuration_events(system: RunningSystem) -> float:
    return scrape(system.url("notifier")).get("pulsecheck_notifier_configuration_events_total", 0)


def wait_for_notifier_to_read(system: RunningSystem, events: float) -> None:
    """Until the notifier has applied `events` monitor and channel events.

    A notifier that is catching up (just started) reads topics side by side, so a check
    result could otherwise be judged before the monitor's rules and channels are known.
    """
    wait_for(
        lambda: notifier_configuration_events(system) >= events,
        within=SETTLE_SECONDS,
        what=f"the notifier to read {events:.0f} configuration events",
    )


def alerts_about(channels: ChannelStandins, site_name: str) -> dict[str, list[str]]:
    """Per channel, the kinds of alert it received about one site, in arrival order."""
    received: dict[str, list[str]] = {}
    for kind, headlines in channels.headlines().items():
        received[kind] = [
            "reported" if REPORTED_AGAIN in headline else short
            for headline in headlines
            for prefix, short in ALERT_PREFIXES.items()
            if headline.startswith(f"{prefix}: {site_name} ")
        ]
    return received


def silences(alerts: list[str]) -> tuple[list[str], int, int]:
    """The alerts without the "NOT CHECKED" incidents, and how many opened and ended."""
    rest = [alert for alert in alerts if alert not in ("silent", "reported")]
    return rest, alerts.count("silent"), alerts.count("reported")


def wait_for_alerts(
    channels: ChannelStandins,
    site_name: str,
    expected: dict[str, list[str]],
    within: float,
    *,
    silence_allowed: bool = False,
) -> dict[str, tuple[int, int]]:
    """Wait until every channel told exactly `expected` about the site; with `silence_allowed`
    (the only prober was dead longer than a result stays fresh) one "NOT CHECKED" incident and
    its end may come besides, once each. Per channel: how many silences opened and ended."""
    seen: dict[str, tuple[int, int]] = {}

    def arrived() -> bool:
        got = alerts_about(channels, site_name)
        for kind, alerts in got.items():
            rest, opened, ended = silences(alerts) if silence_allowed else (alerts, 0, 0)
            assert rest == expected.get(kind, []) and opened <= 1 and ended <= opened, (
                f"alerts about {site_name}: {got}; {channels.failures()}"
            )
            seen[kind] = (opened, ended)
        assert set(got) == set(expected), f"alerts about {site_name}: {got}"
        return True

    wait_for(arrived, within=within, what=f"alerts about {site_name}")
    return seen


def wait_until_up(api: PulseCheckApi, website_id: str, checks: int) -> list[dict[str, Any]]:
    def up_logs() -> list[dict[str, Any]]:
        logs = api.uptime_logs(website_id)
        return logs if sum(1 for log in logs if log["is_up"]) >= checks else []

    return wait_for(up_logs, within=SETTLE_SECONDS, what=f"{checks} up results of {website_id}")


def wait_for_incident(
    api: PulseCheckApi, website_id: str, state: str, within: float = SETTLE_SECONDS
) -> dict[str, Any]:
    def single_incident() -> dict[str, Any] | None:
        # a "NOT CHECKED" incident (every region silent) is another story than the site's own
        incidents = [i for i in api.incidents(website_id) if i["kind"] != "silent"]
        assert len(incidents) <= 1, f"more than one incident: {incidents}"
        return incidents[0] if incidents and incidents[0]["state"] == state else None

    return wait_for(single_incident, within=within, what=f"an incident {state}")


def wait_for_notifications(
    api: PulseCheckApi,
    website_id: str,
    expected: dict[str, list[str]],
    silenced: dict[str, tuple[int, int]] | None = None,
) -> None:
    """The read model's successful deliveries about a site tell the same story as the
    stand-ins: per channel kind, the same alerts (by trigger type), each once; `silenced`:
    the "NOT CHECKED" incidents the stand-ins saw open and end, per channel kind."""
    wanted = Counter(
        (kind, TRIGGER_TYPES[alert]) for kind, alerts in expected.items() for alert in alerts
    )
    for kind, (opened, ended) in (silenced or {}).items():
        wanted[(kind, TRIGGER_TYPES["down"])] += opened
        wanted[(kind, TRIGGER_TYPES["recovered"])] += ended

    def same() -> bool:
        rows = [row for row in api.notifications() if row["website_id"] == website_id]
        sent = Counter(
            (r["channel_kind"], r["trigger_type"]) for r in rows if r["outcome"] == "sent"
        )
        assert sent == wanted, f"notifications sent: {dict(sent)}; rows: {rows}"
        return True

    wait_for(same, within=30, what=f"notifications about {website_id} in the read model")


def completed_results(
    bootstrap: str, topics: Topics, website_id: str
) -> list[tuple[str, CheckCompleted]]:
    """What the prober reported about a site, read from Kafka (the source of truth): every
    published result with its event id, duplicates included."""
    events = asyncio.run(read_all(bootstrap, topics.checks_completed))
    return [
        (event.id, event.data)
        for event in events
        if isinstance(event.data, CheckCompleted) and event.data.monitor_id == website_id
    ]


def completed_checks(bootstrap: str, topics: Topics, website_id: str) -> list[CheckCompleted]:
    """Each result the prober reported about a site once. A prober killed between publishing
    a result and committing its request runs the request again when restarted and publishes
    the result again under the same event id (made from the request and region): the same
    event delivered twice, of which every consumer keeps the first (at-least-once)."""
    first: dict[str, CheckCompleted] = {}
    for event_id, check in completed_results(bootstrap, topics, website_id):
        first.setdefault(event_id, check)
    return list(first.values())


def assert_uptime_logs_match_topic(
    api: PulseCheckApi, bootstrap: str, topics: Topics, website_id: str
) -> int:
    """Every completed uptime check is in uptime-logs exactly once (no loss, no duplicate)."""

    def same() -> int:
        reported = sorted(
            check.finished_at.isoformat()
            for check in completed_checks(bootstrap, topics, website_id)
            if check.kind != "tls"
        )
        logged = sorted(
            _iso(log["timestamp"]) for log in api.uptime_logs(website_id) if log["kind"] != "tls"
        )
        assert logged == reported, (
            f"{len(logged)} uptime-logs vs {len(reported)} completed checks; "
            f"only logged: {sorted(set(logged) - set(reported))[:5]}, "
            f"only reported: {sorted(set(reported) - set(logged))[:5]}"
        )
        return len(logged)

    return wait_for(same, within=30, what="uptime-logs equal to the completed checks")


def _iso(timestamp: str) -> str:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).isoformat()


def assert_alert_links_open(
    channels: ChannelStandins, browser: httpx.Client, dashboard: str, websites: dict[str, str]
) -> int:
    """Follows every link in every alert about `websites` (name: id) and gets 200: the
    website's page in the web app, signed in (a visitor without a session is sent to sign in
    first), and the site itself. Each alert that has room for a link (all but an SMS) links
    to the website's page. Returns how many links were followed."""
    followed = 0
    with httpx.Client(follow_redirects=True, timeout=15) as anonymous:
        for kind, alerts in channels.alert_links().items():
            for headline, links in alerts:
                named = [n for n in websites if headline.partition(": ")[2].startswith(f"{n} ")]
                if not named:
                    continue  # about another test's site
                page = f"{dashboard}/monitors/{websites[named[0]]}"
                if kind != "sms":  # an SMS is its headline alone, within 160 characters
                    assert page in links, f"{kind}: {headline!r} links only {links}"
                for link in links:
                    if link.startswith(dashboard):
                        bounced = anonymous.get(link)
                        path = urlsplit(link).path
                        assert bounced.status_code == 200, f"{link} signed out: {bounced}"
                        assert str(bounced.url).endswith(f"/sign-in?next={quote(path)}"), (
                            f"{link} signed out ended at {bounced.url}"
                        )
                    opened = browser.get(link)
                    assert opened.status_code == 200, f"{kind}: {headline!r}: {link}: {opened}"
                    assert str(opened.url) == link, f"{link} ended at {opened.url}"
                    if link == page:
                        assert named[0] in opened.text, f"{link} is not the page of {named[0]}"
                    followed += 1
    return followed
