"""Each new monitor kind through the real pipeline on real Kafka: registered, an "up" result,
the target broken, exactly one alert at the webhook, repaired, exactly one recovery.

Certificates (tls:// and STARTTLS) are checked on a daily schedule, so their tests ask for
each check at once, as the API does for a new website and for POST check-ssl."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dns.zone
import pytest
import trustme

from pulsecheck.shared.topics import Topics
from pulsecheck.testing.dns_zone import TEST_ZONE, serve_zone
from pulsecheck.testing.pipeline import Pipeline, running_pipeline
from pulsecheck.testing.ports import free_port
from pulsecheck.testing.starttls_servers import UPGRADING_SERVERS, UpgradingServer, immediate_tls
from pulsecheck.testing.target_servers import TargetFleet
from pulsecheck.testing.target_sites import tls_context_for
from pulsecheck.testing.waiting import wait_until

pytestmark = pytest.mark.kafka

# quick to confirm both ways, so each test takes seconds at a 1 s interval
RULES = {"failures_before_incident": 2, "successes_before_resolve": 1}


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    """The test's own certificate authority, which the prober trusts."""
    return trustme.CA()


@pytest.fixture
async def pipeline(
    kafka_bootstrap: str, topics: Topics, tmp_path: Path, ca: trustme.CA
) -> AsyncIterator[Pipeline]:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    async with running_pipeline(kafka_bootstrap, topics, tmp_path, ca_file) as running:
        yield running


async def _outage_alerted_once(pipeline: Pipeline, monitor_id: str) -> None:
    """The monitor is failing: one "opened" alert, and none more while it stays down."""
    await pipeline.until_transitions(monitor_id, ["opened"])
    await pipeline.until_outcome(monitor_id, "down")
    assert pipeline.transitions(monitor_id) == ["opened"]


async def _recovery_alerted_once(pipeline: Pipeline, monitor_id: str) -> None:
    await pipeline.until_transitions(monitor_id, ["opened", "resolved"])
    await pipeline.until_outcome(monitor_id, "up")
    assert pipeline.transitions(monitor_id) == ["opened", "resolved"]


async def _accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.close()


async def test_tcp(pipeline: Pipeline) -> None:
    port = free_port()
    server = await asyncio.start_server(_accept, "127.0.0.1", port)
    await pipeline.register(
        "tcp-1", url=f"tcp://127.0.0.1:{port}", interval_seconds=1, alert_rules=RULES
    )
    await pipeline.until_outcome("tcp-1", "up")

    server.close()  # the port closes: connections are refused
    await server.wait_closed()
    await _outage_alerted_once(pipeline, "tcp-1")

    server = await asyncio.start_server(_accept, "127.0.0.1", port)
    try:
        await _recovery_alerted_once(pipeline, "tcp-1")
    finally:
        server.close()


async def test_dns(pipeline: Pipeline) -> None:
    async with serve_zone() as server:
        await pipeline.register(
            "dns-1",
            url="dns://only-v4.pulsecheck.test",
            interval_seconds=1,
            alert_rules=RULES,
            dns={"record_type": "A", "nameserver": "127.0.0.1", "nameserver_port": server.port},
        )
        await pipeline.until_outcome("dns-1", "up")

        working = server.zone
        # the record is deleted from the zone: the server answers NXDOMAIN
        without = TEST_ZONE.replace("only-v4 IN A 192.0.2.20\n", "")
        assert without != TEST_ZONE
        server.zone = dns.zone.from_text(without, relativize=False)
        await _outage_alerted_once(pipeline, "dns-1")
        assert pipeline.results[-1].error is not None
        assert pipeline.results[-1].error.kind == "nxdomain", pipeline.results[-1].error

        server.zone = working
        await _recovery_alerted_once(pipeline, "dns-1")


async def test_heartbeat(pipeline: Pipeline) -> None:
    await pipeline.register(
        "hb-1",
        url="heartbeat://nightly",
        check_kinds=["heartbeat"],
        heartbeat={"period_seconds": 1, "grace_seconds": 1},
        alert_rules=RULES,
    )
    await _pinged_up(pipeline, "hb-1")

    # no ping arrives: the silence past period + grace is one failure, reported once
    await pipeline.until_transitions("hb-1", ["opened"])
    await pipeline.ping("hb-1", "fail")  # the scheduler says nothing more: the job does
    await pipeline.until_outcome("hb-1", "down")
    assert pipeline.transitions("hb-1") == ["opened"]

    await pipeline.ping("hb-1")
    await pipeline.until_transitions("hb-1", ["opened", "resolved"])
    await pipeline.ping("hb-1")
    await pipeline.until_outcome("hb-1", "up")
    assert pipeline.transitions("hb-1") == ["opened", "resolved"]


async def _pinged_up(pipeline: Pipeline, monitor_id: str) -> None:
    """Pings until one is judged "up": the scheduler may read a ping before the registration."""

    async def pinged() -> bool:
        await pipeline.ping(monitor_id)
        return "up" in pipeline.outcomes(monitor_id)

    await wait_until(pinged, within=20, what=f"a ping of {monitor_id} judged", interval=0.5)


@dataclass
class CertificateServer:
    """Speaks a protocol's way into TLS and presents whichever certificate `tls` holds now, so
    a test swaps the certificate behind the same port, as an operator would."""

    speaks: UpgradingServer
    # None: the server no longer offers TLS
    tls: ssl.SSLContext | None

    async def __call__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self.speaks(self.tls)(reader, writer)


def _expired(ca: trustme.CA) -> ssl.SSLContext:
    now = datetime.now(UTC)
    return tls_context_for(
        ca, not_before=now - timedelta(days=90), not_after=now - timedelta(days=1)
    )


def _for_another_host(ca: trustme.CA) -> ssl.SSLContext:
    return tls_context_for(ca, "mail.elsewhere.test")


def _from_an_unknown_authority(ca: trustme.CA) -> ssl.SSLContext:
    return tls_context_for(trustme.CA())


def _no_starttls(ca: trustme.CA) -> None:
    """The server stops offering STARTTLS (a reconfiguration, or a downgrade on the way)."""
    return None


# each kind with a certificate its users would want to hear about, and the cause they are told
CERTIFICATE_FAILURES = [
    pytest.param(immediate_tls, "tls", _expired, "expired", id="tls-expired"),
    pytest.param(
        UPGRADING_SERVERS["smtp"],
        "smtp",
        _for_another_host,
        "hostname_mismatch",
        id="smtp-wrong-host",
    ),
    pytest.param(
        UPGRADING_SERVERS["imap"],
        "imap",
        _from_an_unknown_authority,
        "untrusted_root",
        id="imap-unknown-issuer",
    ),
    pytest.param(
        UPGRADING_SERVERS["smtp"],
        "smtp",
        _no_starttls,
        "starttls_refused",
        id="smtp-starttls-withdrawn",
    ),
]


@pytest.mark.parametrize(("speaks", "scheme", "broken_tls", "cause"), CERTIFICATE_FAILURES)
async def test_certificate(
    pipeline: Pipeline,
    fleet: TargetFleet,
    ca: trustme.CA,
    speaks: UpgradingServer,
    scheme: str,
    broken_tls: Callable[[trustme.CA], ssl.SSLContext | None],
    cause: str,
) -> None:
    server = CertificateServer(speaks, tls_context_for(ca))
    port = (await fleet.start(server)).port
    monitor_id = f"{scheme}-1"
    spec = await pipeline.register(monitor_id, url=f"{scheme}://127.0.0.1:{port}")
    assert spec.check_kinds == ["tls"]
    # the API checks a new website at once; otherwise its certificate waits for midnight
    checked = await pipeline.check_now(spec, "tls")
    assert checked.outcome == "up", checked.error
    assert checked.tls is not None and checked.tls.valid

    server.tls = broken_tls(ca)
    failed = await pipeline.check_now(spec, "tls")
    assert failed.outcome == "down" and failed.error is not None
    assert failed.error.kind == cause, failed.error
    await pipeline.until_transitions(monitor_id, ["opened"])
    [opened] = pipeline.alerts(monitor_id)
    assert opened["alert"]["kind"] == "tls_invalid"
    assert opened["alert"]["cause"]["kind"] == cause, opened["alert"]
    # still broken at the next check: the incident stays open and says nothing more
    assert (await pipeline.check_now(spec, "tls")).outcome == "down"

    server.tls = tls_context_for(ca)  # a valid certificate again
    assert (await pipeline.check_now(spec, "tls")).outcome == "up"
    # exactly: a second "opened" for the check above would be delivered before this
    await pipeline.until_transitions(monitor_id, ["opened", "resolved"])
    resolved = pipeline.alerts(monitor_id)[1]
    assert resolved["alert"]["incident_id"] == opened["alert"]["incident_id"]
    assert (await pipeline.check_now(spec, "tls")).outcome == "up"
    assert pipeline.transitions(monitor_id) == ["opened", "resolved"]
