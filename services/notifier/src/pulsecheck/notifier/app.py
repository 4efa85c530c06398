"""The Faust application: tables, agents and web pages wired around the `Pipeline`.

Every topic named here, faust's internal ones included, is named in `Topics`, and faust
creates none of them (`pulsecheck-topics` does, before any service starts).

- `monitor-state`: a table keyed by monitor id, changelog-backed and co-partitioned with
  checks.completed and monitors (same partition count).
- monitor rules and channels: every process reads them whole from their compacted topics
  (`configuration.py`), and no result is judged before the configuration ahead of it is read.
- `deliveries`: delivery requests keyed by monitor id, an internal topic, with the table of
  keys already delivered; its agent runs with concurrency so one slow channel blocks no other.
- `channel tests`: "send a test" requests from the API, keyed by channel id
  (`channel_tests.py`).
- `ticks`: a timer asks, through this co-partitioned internal topic, for the monitors whose
  reminders or held notices fell due, so time passing is applied where their state lives.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import faust
from prometheus_client import generate_latest
from pydantic import ValidationError

from pulsecheck.channels.base import Channel
from pulsecheck.notifier.broker_credentials import faust_credentials
from pulsecheck.notifier.channel_tests import ChannelTester
from pulsecheck.notifier.configuration import (
    ConfigurationReader,
    ConfigurationView,
    configuration_consumer,
)
from pulsecheck.notifier.dead_letters import DeadLetters
from pulsecheck.notifier.faust_view import FaustWorkerView, HealthService, cluster_facts
from pulsecheck.notifier.health import NotifierHealth
from pulsecheck.notifier.metrics import NotifierMetrics
from pulsecheck.notifier.model_table import ModelTable
from pulsecheck.notifier.pipeline import Pipeline
from pulsecheck.notifier.recovery import NotifierTableManager
from pulsecheck.notifier.routing import DeliveryRequest
from pulsecheck.notifier.settings import NotifierSettings
from pulsecheck.notifier.state import MonitorState
from pulsecheck.shared.events import DecodeError, Envelope, decode, decode_expecting
from pulsecheck.shared.events.channels import ChannelTestRequested
from pulsecheck.shared.events.checks import CheckCompleted
from pulsecheck.shared.events.common import ChannelKind, Contract
from pulsecheck.shared.events.registry import (
    CHANNEL_TESTS_EVENTS,
    CHANNELS_EVENTS,
    CHECKS_COMPLETED_EVENTS,
    MONITORS_EVENTS,
)
from pulsecheck.shared.health import HealthServer
from pulsecheck.shared.liveness import ProgressWatch, TimerWatch
from pulsecheck.shared.topics import NOTIFIER_DELIVERED_TABLE, NOTIFIER_STATE_TABLE

log = logging.getLogger("pulsecheck.notifier")


def build_app(
    settings: NotifierSettings, senders: dict[ChannelKind, Channel], metrics: NotifierMetrics
) -> faust.App:
    topics = settings.topics()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        settings.faust_app_id(),
        broker=f"kafka://{settings.kafka_bootstrap}",
        broker_credentials=faust_credentials(settings.kafka_security()),
        store="memory://",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        # faust's web views would serve any tenant's table state without a key; the health
        # port serves /healthz, /readyz and /metrics only (`HealthService` below)
        web_enabled=False,
        producer_acks=-1,
        # every topic, faust's own included, is made by `pulsecheck-topics` before any service
        # starts: one faust makes while joining its group gets no partitions for 5 minutes
        topic_allow_declare=False,
        # the leader-election topic serves `on_leader` timers, which the notifier has none of
        topic_disable_leader=True,
        # a partition with no committed offset (a fresh install) is read from its start, so
        # the first alert or tick written before the agent got its partitions is not skipped
        consumer_auto_offset_reset="earliest",
        # a replica killed without a goodbye hands its partitions over within ~10 s, not 60 s
        broker_session_timeout=10.0,
        broker_heartbeat_interval=3.0,
        # faust's fetcher idles between large fetches: with its 1 MiB default a backlog drained
        # at ~5,300 results/s, with 128 KiB at ~8,200/s (bench/notifier, same machine)
        consumer_max_fetch_size=128 * 1024,
        # faust's local files go under the data dir, not the working directory
        datadir=str(settings.data_dir / "{conf.id}"),
        # faust's recovery dropped records fetched while it resumed the streams (`recovery.py`)
        TableManager=NotifierTableManager,
    )

    def raw_topic(name: str, **kwargs: Any) -> Any:
        return app.topic(name, key_serializer="raw", value_serializer="raw", **kwargs)

    checks = raw_topic(topics.checks_completed)
    monitors = raw_topic(topics.monitors)
    channels = raw_topic(topics.channels)
    channel_tests = raw_topic(topics.channel_tests, internal=True)
    deliveries = raw_topic(topics.notifier_deliveries, internal=True)
    ticks = raw_topic(topics.notifier_ticks, internal=True)
    # tables keep JSON bytes (key type str); ModelTable gives the pipeline typed values
    states = app.Table(NOTIFIER_STATE_TABLE, key_type=str, value_type=bytes)
    delivered = app.Table(NOTIFIER_DELIVERED_TABLE, key_type=str, value_type=str)
    configuration = ConfigurationReader(
        ConfigurationView(
            topics.monitors,
            topics.channels,
            settings.channel_opener(),
            settings.min_interval_seconds,
        ),
        configuration_consumer(
            settings.kafka_bootstrap, f"{settings.faust_app_id()}-config", settings.kafka_security()
        ),
        patience_seconds=settings.configuration_patience_seconds,
    )

    async def publish(topic: str, key: str, value: bytes, wait: bool) -> None:
        sending = await app.send(
            topic, key=key.encode(), value=value, key_serializer="raw", value_serializer="raw"
        )
        if wait:
            await sending

    pipeline = Pipeline(
        topics=topics,
        deliveries_topic=deliveries.get_topic_name(),
        source=settings.source,
        dashboard_url=settings.dashboard_url,
        states=ModelTable(states, MonitorState),
        configuration=configuration,
        delivered=delivered,
        senders=senders,
        policy=settings.retry_policy(),
        publish=publish,
        clock=lambda: datetime.now(UTC),
        metrics=metrics,
        recipient_digest=settings.recipient_digest(),
    )

    tester = ChannelTester(
        alerts_topic=topics.alerts,
        source=settings.source,
        dashboard_url=settings.dashboard_url,
        configuration=configuration,
        senders=senders,
        policy=settings.retry_policy(),
        publish=publish,
        clock=lambda: datetime.now(UTC),
        metrics=metrics,
        recipient_digest=settings.recipient_digest(),
    )

    async def send_letter(topic: str, key: bytes | None, value: bytes) -> None:
        await (
            await app.send(
                topic, key=key, value=value, key_serializer="raw", value_serializer="raw"
            )
        )

    dead_letters = DeadLetters(topics.deadletter, settings.faust_app_id(), send_letter, metrics)

    async def decoded(
        event: Any, belongs: frozenset[str], expecting: type[Contract] | None = None
    ) -> Envelope | None:
        """The record's event, or None once it is dead-lettered; `belongs`: the types of its
        topic; `expecting`: the topic's usual type, decoded in one pass (`decode_expecting`)."""
        raw = event.message.value
        result = (
            decode(raw, belongs) if expecting is None else decode_expecting(raw, expecting, belongs)
        )
        if isinstance(result, DecodeError):
            await dead_letters.send(event.message, result.kind, result.reason)
            return None
        return result

    async def guarded(event: Any, handling: Awaitable[None]) -> None:
        """One record that cannot be applied is dead-lettered; the agent goes on."""
        try:
            await handling
        except Exception as exc:
            log.exception("record not applied", extra={"offset": event.message.offset})
            await dead_letters.send(event.message, "unappliable", repr(exc))

    async def configuration_read() -> None:
        # nothing is judged or delivered before the configuration published ahead of it is read
        await configuration.covering(time.time())

    @app.agent(checks)
    async def on_results(stream: Any) -> None:
        await configuration_read()
        async for event in stream.events():
            envelope = await decoded(event, CHECKS_COMPLETED_EVENTS, CheckCompleted)
            # skipped checks share the topic; they are not ours to judge
            if envelope is None or not isinstance(result := envelope.data, CheckCompleted):
                continue
            if not pipeline.settled_at_once(result, event.message.timestamp):
                await guarded(event, pipeline.on_result(result, event.message.timestamp))

    @app.agent(monitors)
    async def on_monitors(stream: Any) -> None:
        async for event in stream.events():
            if event.message.value is None:
                if event.message.key:
                    key = event.message.key.decode("utf-8", "replace")
                    await guarded(event, pipeline.on_monitor_tombstone(key))
                continue
            envelope = await decoded(event, MONITORS_EVENTS)
            if envelope is not None:
                await guarded(event, pipeline.on_monitor(envelope.data))

    @app.agent(channels)
    async def on_channels(stream: Any) -> None:
        async for event in stream.events():
            if event.message.value is None:
                continue
            envelope = await decoded(event, CHANNELS_EVENTS)
            if envelope is not None:
                await guarded(event, _applied(pipeline.on_channel, envelope.data))

    @app.agent(channel_tests)
    async def on_channel_tests(stream: Any) -> None:
        await configuration_read()
        async for event in stream.events():
            envelope = await decoded(event, CHANNEL_TESTS_EVENTS, ChannelTestRequested)
            if envelope is not None and isinstance(test := envelope.data, ChannelTestRequested):
                handling = tester.on_request(test, envelope.id, event.message.timestamp)
                await guarded(event, handling)

    @app.agent(deliveries, concurrency=settings.delivery_concurrency)
    async def on_deliveries(stream: Any) -> None:
        await configuration_read()
        async for event in stream.events():
            try:
                request = DeliveryRequest.model_validate_json(event.message.value or b"")
            except ValidationError as exc:
                await dead_letters.send(event.message, "invalid_data", str(exc)[:500])
                continue
            await guarded(event, pipeline.on_delivery(request, event.message.timestamp))

    @app.agent(ticks)
    async def on_ticks(stream: Any) -> None:
        await configuration_read()
        async for event in stream.events():
            await guarded(
                event,
                pipeline.on_tick(
                    (event.message.value or b"").decode("utf-8", "replace"),
                    event.message.timestamp,
                ),
            )

    worker = FaustWorkerView(
        app,
        {
            t.get_topic_name()
            for t in (checks, monitors, channels, channel_tests, deliveries, ticks)
        },
    )
    health = NotifierHealth(
        worker=worker,
        round_trip=lambda: cluster_facts(
            settings.kafka_bootstrap,
            worker.agent_topics(),
            settings.faust_app_id(),
            settings.kafka_security(),
        ),
        configuration_caught_up=lambda: configuration.covering(time.time()),
        progress=ProgressWatch(settings.stall_seconds),
        timer=TimerWatch(
            settings.tick_interval_seconds,
            started_at=time.monotonic(),
            # silent for the stall time, or three intervals when those are longer
            tolerance=max(3.0, settings.stall_seconds / settings.tick_interval_seconds),
        ),
        clock=time.monotonic,
    )

    async def tick() -> None:
        health.tick_beat()
        try:
            for monitor_id in pipeline.due_ticks():
                await publish(ticks.get_topic_name(), monitor_id, monitor_id.encode(), False)
        except Exception:
            # the next tick tries again; a timer that raises is never rescheduled by faust
            metrics.tick_failures.inc()
            log.exception("tick failed")

    app.timer(settings.tick_interval_seconds)(tick)
    app.task(configuration.run)

    def exposition() -> bytes:
        # read when scraped: faust's committed offsets against the ends it last fetched
        metrics.observe_lag(worker.progress())
        return generate_latest(metrics.registry)

    server = HealthServer(
        settings.health_host,
        settings.health_port,
        liveness=health.liveness,
        readiness=health.readiness,
        exposition=exposition,
    )
    app.add_dependency(HealthService(server))
    return app


async def _applied(apply: Callable[[Any], None], payload: Any) -> None:
    """A synchronous apply as the awaitable `guarded` runs."""
    apply(payload)
