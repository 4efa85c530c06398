"""The notifier process end to end, seen from outside: the topics it names (and never creates),
the health port's probes, readiness through a broker restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from pulsecheck.notifier.app import build_app
from pulsecheck.notifier.metrics import NotifierMetrics
from pulsecheck.notifier.settings import NotifierSettings
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.notifier_process import NotifierProcess
from pulsecheck.testing.notifier_stage import Stage, down_then_up
from pulsecheck.testing.private_infra import private_infra
from pulsecheck.testing.waiting import wait_until

pytestmark = pytest.mark.kafka


async def _topic_names(bootstrap: str, prefix: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="notifier-test")
    await admin.start()
    try:
        return {name for name in await admin.list_topics() if name.startswith(prefix)}
    finally:
        await admin.close()


def test_every_topic_faust_would_name_is_named_in_topics(tmp_path: Path) -> None:
    settings = NotifierSettings(topic_prefix="x.", data_dir=tmp_path)
    app = build_app(settings, {}, NotifierMetrics.create())
    topics = settings.topics()
    named_by_faust = {table.changelog_topic_name for table in app.tables.values()}
    named_by_faust |= {topics.notifier_deliveries, topics.notifier_ticks}
    internal = {spec.name for spec in topics.internal_specs()}
    assert named_by_faust <= internal
    assert app.conf.topic_allow_declare is False
    assert app.conf.consumer_auto_offset_reset == "earliest"


async def test_a_fresh_notifier_creates_no_topic_and_alerts_at_once(stage: Stage) -> None:
    # a topic faust made while joining its group would get no partitions for 5 minutes
    before = await _topic_names(stage.bootstrap, stage.topics.prefix)
    assert before == {spec.name for spec in stage.topics.specs()}
    notifier = await stage.started()
    try:
        await stage.results(*down_then_up()[:4])
        # through the deliveries topic: the first alert of a fresh system is not skipped
        await wait_until(lambda: len(stage.sms_texts()) >= 1, within=30, what="the first SMS")
    finally:
        assert notifier.stop() == 0
    assert await _topic_names(stage.bootstrap, stage.topics.prefix) == before
    assert "Ignoring missing topic" not in stage.log_path.read_text()


async def test_the_health_port_serves_the_probes_and_no_faust_view(stage: Stage) -> None:
    stage.env["PULSECHECK_STALL_SECONDS"] = "2"
    notifier = await stage.started()
    try:
        await wait_until(lambda: notifier.status("/readyz") == 200, within=60, what="ready")
        await stage.results(*down_then_up()[:4])
        await wait_until(lambda: len(stage.sms_texts()) >= 1, what="the SMS")
        # idle for longer than the stall time: a worker with nothing to do is not stuck
        await wait_until(
            lambda: notifier.counter("pulsecheck_notifier_results_total") >= 4, what="results"
        )
        for _ in range(3):
            assert notifier.status("/healthz") == 200
            assert notifier.status("/readyz") == 200
            await asyncio.sleep(1.5)

        def caught_up() -> bool:
            # every consumed partition is exported; once its offset is committed, none behind
            lag = [
                line
                for line in notifier.metrics().splitlines()
                if line.startswith("pulsecheck_notifier_lag_records{")
            ]
            checks = f'topic="{stage.topics.checks_completed}"'
            return any(checks in line for line in lag) and all(x.endswith(" 0.0") for x in lag)

        await wait_until(caught_up, within=30, what="no lag on any partition")
        for faust_view in ("/table/monitor-state/", "/table/monitor-state", "/router/", "/stats/"):
            assert notifier.status(faust_view) == 404, faust_view
    finally:
        assert notifier.stop() == 0


async def test_readiness_follows_a_stopped_and_restarted_broker(tmp_path: Path) -> None:
    with private_infra(tmp_path / "infra") as infra:
        topics = Topics(prefix="outage.")
        await ensure_topics(infra.kafka_bootstrap, topics.specs(), partitions=3)
        notifier = NotifierProcess(
            {
                "PULSECHECK_KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
                "PULSECHECK_TOPIC_PREFIX": topics.prefix,
                "PULSECHECK_PARTITIONS": "3",
                "PULSECHECK_RECIPIENT_HASH_KEY": "test-recipient-key",
            },
            tmp_path / "notifier.log",
        ).start()
        try:
            await wait_until(lambda: notifier.status("/readyz") == 200, within=60, what="ready")
            infra.stop_kafka()
            await wait_until(lambda: notifier.status("/readyz") == 503, within=30, what="503")
            assert notifier.running() and notifier.status("/healthz") == 200
            infra.start_kafka()
            await wait_until(lambda: notifier.status("/readyz") == 200, within=120, what="back")
            assert notifier.running()
        finally:
            assert notifier.stop() == 0
