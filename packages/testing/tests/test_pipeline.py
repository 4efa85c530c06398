"""Each new monitor kind through the real pipeline on real Kafka: registered, an "up" result,
the target broken, exactly one alert at the webhook, repaired, exactly one recovery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import dns.zone
import pytest

from pulsecheck.shared.topics import Topics
from pulsecheck.testing.dns_zone import TEST_ZONE, serve_zone
from pulsecheck.testing.pipeline import Pipeline, running_pipeline
from pulsecheck.testing.ports import free_port
from pulsecheck.testing.waiting import wait_until

pytestmark = pytest.mark.kafka

# quick to confirm both ways, so each test takes seconds at a 1 s interval
RULES = {"failures_before_incident": 2, "successes_before_resolve": 1}


@pytest.fixture
async def pipeline(kafka_bootstrap: str, topics: Topics, tmp_path: Path) -> AsyncIterator[Pipeline]:
    async with running_pipeline(kafka_bootstrap, topics, tmp_path) as running:
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
