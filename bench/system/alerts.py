"""Alert latency: a few HTTPS targets (checked every 5 s, one failure opens an incident) are
switched off mid-window; each one's first failing result → its message at the Slack stand-in."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx
import trustme

from bench.system.observe import Observed
from pulsecheck.testing.standins.recording_server import RecordingServer
from pulsecheck.testing.standins.slack import slack_standin, slack_texts
from pulsecheck.testing.target_sites import TargetSite, site_with_certificate, tls_context_for

ALERT_INTERVAL = 5


@dataclass
class AlertProbe:
    ca: trustme.CA
    sites: list[TargetSite]
    slack: RecordingServer
    ids: dict[str, str]  # monitor id -> name

    def stop(self) -> None:
        self.slack.stop()
        for site in self.sites:
            site.go_down()


def start_alert_probe(count: int) -> AlertProbe:
    ca = trustme.CA()
    sites = [site_with_certificate(ca, f"alert{i:02d}x", None) for i in range(count)]
    slack = slack_standin()
    slack.tls = tls_context_for(ca)
    slack.start()
    return AlertProbe(ca, sites, slack, {})


async def register_alert_targets(client: httpx.AsyncClient, probe: AlertProbe) -> None:
    channel = {"kind": "slack", "name": "bench", "target": f"{probe.slack.url}/services/T/B/x"}
    (await client.post("/channels", json=channel)).raise_for_status()
    for site in probe.sites:
        body = {"name": site.name, "url": site.url, "check_kinds": ["http"],
                "interval_seconds": ALERT_INTERVAL, "timeout_seconds": 2,
                "alert_rules": {"failures_before_incident": 1}}  # fmt: skip
        reply = await client.post("/websites", json=body)
        reply.raise_for_status()
        probe.ids[reply.json()["id"]] = site.name


async def switch_off_at(probe: AlertProbe, observed: Observed, at: float) -> float:
    for monitor_id in probe.ids:
        observed.watched[monitor_id] = []
    await asyncio.sleep(max(0.0, at - time.time()))
    off = time.time()
    for site in probe.sites:
        site.go_down()
    return off


def alert_latencies_ms(probe: AlertProbe, observed: Observed, off: float) -> list[float]:
    """Confirming result (the first check started after the switch-off) → Slack message."""
    # the stand-in stamps requests with time.monotonic(): onto the wall clock of the results
    wall = time.time() - time.monotonic()
    stamps = [wall + r.at for r in probe.slack.received]
    texts = list(zip(slack_texts(probe.slack), stamps, strict=True))
    latencies = []
    for monitor_id, name in probe.ids.items():
        failed = [done for started, done in observed.watched[monitor_id] if started > off]
        said = [at for text, at in texts if name in text and at > off]
        if failed and said:
            latencies.append((min(said) - min(failed)) * 1000)
    return latencies
