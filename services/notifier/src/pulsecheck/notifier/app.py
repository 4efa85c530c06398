"""The Faust application: tables, agents and web pages wired around the `Pipeline`.

- `monitor-state` and `monitor-rules`: tables keyed by monitor id, changelog-backed and
  co-partitioned with checks.completed and monitors (same partition count).
- `channels`: a GlobalTable, since channels are account-wide and every worker needs them all.
- `deliveries`: delivery requests keyed by delivery key, an internal topic, with the table of
  keys already delivered; its agent runs with concurrency so one slow channel blocks no other.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import faust
from prometheus_client import generate_latest
from pydantic import ValidationError

from pulsecheck.notifier.channels.base import Channel
from pulsecheck.notifier.metrics import NotifierMetrics
from pulsecheck.notifier.model_table import ModelTable
from pulsecheck.notifier.pipeline import Pipeline
from pulsecheck.notifier.routing import DeliveryRequest
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.settings import NotifierSettings
from pulsecheck.notifier.state import MonitorState
from pulsecheck.shared.events import DecodeError, Envelope, decode
from pulsecheck.shared.events.channels import ChannelConfigured
from pulsecheck.shared.events.checks import CheckCompleted
from pulsecheck.shared.events.common import ChannelKind
from pulsecheck.shared.kafka.deadletter import dead_letter_for

log = logging.getLogger("pulsecheck.notifier")


def build_app(
    settings: NotifierSettings, senders: dict[ChannelKind, Channel], metrics: NotifierMetrics
) -> faust.App:
    topics = settings.topics()
    app = faust.App(
        settings.faust_app_id(),
        broker=f"kafka://{settings.kafka_bootstrap}",
        store="memory://",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        web_bind=settings.web_host,
        web_port=settings.web_port,
        web_in_thread=False,
        producer_acks=-1,
        consumer_auto_offset_reset="earliest",
    )

    def raw_topic(name: str, **kwargs: Any) -> Any:
        return app.topic(name, key_serializer="raw", value_serializer="raw", **kwargs)

    checks = raw_topic(topics.checks_completed)
    monitors = raw_topic(topics.monitors)
    channels = raw_topic(topics.channels)
    deliveries = raw_topic(f"{settings.faust_app_id()}-deliveries", internal=True)
    # tables keep JSON bytes (key type str); ModelTable gives the pipeline typed values
    states = app.Table("monitor-state", key_type=str, value_type=bytes)
    rules = app.Table("monitor-rules", key_type=str, value_type=bytes)
    channel_table = app.GlobalTable("channels", key_type=str, value_type=bytes)
    delivered = app.Table("deliveries", key_type=str, value_type=str)

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
        rules=ModelTable(rules, MonitorRules),
        channels=ModelTable(channel_table, ChannelConfigured),
        delivered=delivered,
        senders=senders,
        policy=settings.retry_policy(),
        publish=publish,
        clock=lambda: datetime.now(UTC),
        metrics=metrics,
    )

    async def dead_letter(event: Any, kind: str, reason: str) -> None:
        metrics.dead_letters.inc()
        letter = dead_letter_for(
            event.message, settings.faust_app_id(), kind, reason, datetime.now(UTC)
        )
        await app.send(
            topics.deadletter,
            key=event.message.key,
            value=letter.model_dump_json().encode(),
            key_serializer="raw",
            value_serializer="raw",
        )

    async def decoded(event: Any) -> Envelope | None:
        result = decode(event.message.value)
        if isinstance(result, DecodeError):
            await dead_letter(event, result.kind, result.reason)
            return None
        return result

    @app.agent(checks)
    async def on_results(stream: Any) -> None:
        async for event in stream.events():
            envelope = await decoded(event)
            if envelope is None:
                continue
            if not isinstance(envelope.data, CheckCompleted):
                # other events may share the topic one day; they are not ours to judge
                continue
            await pipeline.on_result(envelope.data)

    @app.agent(monitors)
    async def on_monitors(stream: Any) -> None:
        async for event in stream.events():
            if event.message.value is None:
                if event.message.key:
                    pipeline.rules.pop(event.message.key.decode(), None)
                continue
            envelope = await decoded(event)
            if envelope is not None:
                pipeline.on_monitor(envelope.data)

    @app.agent(channels)
    async def on_channels(stream: Any) -> None:
        async for event in stream.events():
            if event.message.value is None:
                if event.message.key:
                    pipeline.channels.pop(event.message.key.decode(), None)
                continue
            envelope = await decoded(event)
            if envelope is not None:
                pipeline.on_channel(envelope.data)

    @app.agent(deliveries, concurrency=settings.delivery_concurrency)
    async def on_deliveries(stream: Any) -> None:
        async for event in stream.events():
            try:
                request = DeliveryRequest.model_validate_json(event.message.value)
            except ValidationError as exc:
                await dead_letter(event, "invalid_data", str(exc)[:500])
                continue
            await pipeline.on_delivery(request)

    @app.page("/healthz")
    async def healthz(web: Any, request: Any) -> Any:
        return web.json({"status": "ok", "app": settings.faust_app_id()})

    @app.page("/metrics")
    async def metrics_page(web: Any, request: Any) -> Any:
        # aiohttp refuses a charset inside content_type; the exposition format is plain text
        return web.bytes(generate_latest(metrics.registry), content_type="text/plain")

    return app
