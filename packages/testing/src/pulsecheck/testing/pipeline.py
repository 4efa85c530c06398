"""The checking pipeline on real Kafka, for one test: the scheduler and the prober in-process
(allowed to reach loopback), the real notifier as a child process alerting one webhook
stand-in. A test registers a monitor, breaks and repairs its target, and reads what the
webhook received: the alerts, as a user's receiver would see them."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer

from pulsecheck.prober.service import ProberService
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.query_api.api.check_requests import on_demand_request
from pulsecheck.scheduler.main import wall_clock_ms
from pulsecheck.scheduler.service import Scheduler
from pulsecheck.scheduler.settings import SchedulerSettings
from pulsecheck.shared.events import (
    CheckCompleted,
    HeartbeatPinged,
    MonitorRegistered,
    MonitorSpec,
    decode,
    new_envelope,
)
from pulsecheck.shared.events.common import CheckKind
from pulsecheck.shared.events.heartbeats import PingSignal
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.alerts import channel
from pulsecheck.testing.kafka import committed_reader
from pulsecheck.testing.notifier_process import NotifierProcess
from pulsecheck.testing.standins.recording_server import RecordingServer
from pulsecheck.testing.standins.webhook import accepted_documents, webhook_receiver
from pulsecheck.testing.waiting import wait_until

SECRET = "pipeline-hook-secret"
ACCOUNT = "acct-pipeline"
LOOPBACK = "127.0.0.0/8"


@dataclass
class Pipeline:
    topics: Topics
    producer: EventProducer
    webhook: RecordingServer
    results: list[CheckCompleted] = field(default_factory=list)

    async def register(self, monitor_id: str, **spec: object) -> MonitorRegistered:
        """MonitorRegistered on the monitors topic, as the API publishes it."""
        registered = MonitorRegistered.model_validate(
            {"monitor_id": monitor_id, "account_id": ACCOUNT, "name": monitor_id, **spec}
        )
        await self._publish(self.topics.monitors, registered, monitor_id)
        return registered

    async def ping(self, monitor_id: str, signal: PingSignal = "success") -> None:
        """HeartbeatPinged, as the API's ping route publishes it."""
        ping = HeartbeatPinged(
            ping_id=str(uuid.uuid4()),
            monitor_id=monitor_id,
            account_id=ACCOUNT,
            signal=signal,
            pinged_at=datetime.now(UTC),
        )
        await self._publish(self.topics.heartbeats, ping, monitor_id)

    async def check_now(self, spec: MonitorSpec, kind: CheckKind) -> CheckCompleted:
        """An on-demand CheckRequested, as the API publishes it for POST check-ssl or
        check-now and for a website just registered or changed; then its result."""
        request = on_demand_request(spec, kind, datetime.now(UTC))
        await self._publish(self.topics.checks_requested, request, spec.monitor_id)
        return await wait_until(
            lambda: next((r for r in self.results if r.request_id == request.request_id), None),
            what=f"the result of {request.request_id}",
        )

    def outcomes(self, monitor_id: str) -> list[str]:
        return [r.outcome for r in self.results if r.monitor_id == monitor_id]

    def alerts(self, monitor_id: str) -> list[dict[str, Any]]:
        """The documents the webhook received for the monitor, as a user's receiver reads them."""
        documents = accepted_documents(self.webhook, SECRET)
        return [d for d in documents if d["monitor"]["id"] == monitor_id]

    def transitions(self, monitor_id: str) -> list[str]:
        """What the webhook received for the monitor: "opened", "resolved", …"""
        return [d["transition"] for d in self.alerts(monitor_id)]

    async def until_outcome(self, monitor_id: str, outcome: str, within: float = 30.0) -> None:
        seen = len(self.outcomes(monitor_id))
        await wait_until(
            lambda: outcome in self.outcomes(monitor_id)[seen:],
            within=within,
            what=f"a new {outcome!r} result of {monitor_id} ({self.outcomes(monitor_id)})",
        )

    async def until_transitions(
        self, monitor_id: str, expected: list[str], within: float = 30.0
    ) -> None:
        await wait_until(
            lambda: self.transitions(monitor_id) == expected,
            within=within,
            what=f"alerts {expected} for {monitor_id} (got {self.transitions(monitor_id)})",
        )

    async def _publish(self, topic: str, payload: object, key: str) -> None:
        envelope = new_envelope(payload, source="tests/pipeline", subject=key)  # type: ignore[arg-type]
        await self.producer.publish(topic, envelope, key)


async def _collect(consumer: AIOKafkaConsumer, results: list[CheckCompleted]) -> None:
    while True:
        for records in (await consumer.getmany(timeout_ms=100)).values():
            for record in records:
                envelope = decode(record.value)
                data = getattr(envelope, "data", None)
                if isinstance(data, CheckCompleted):
                    results.append(data)


def _notifier_env(bootstrap: str, topics: Topics, webhook: RecordingServer) -> dict[str, str]:
    return {
        "PULSECHECK_KAFKA_BOOTSTRAP": bootstrap,
        "PULSECHECK_TOPIC_PREFIX": topics.prefix,
        "PULSECHECK_PARTITIONS": "3",
        "PULSECHECK_LOG_LEVEL": "INFO",
        # the webhook stand-in lives on loopback
        "PULSECHECK_TARGET_ALLOW_LIST": LOOPBACK,
        "PULSECHECK_RETRY_ATTEMPTS": "3",
        "PULSECHECK_RETRY_BASE_DELAY_SECONDS": "0.05",
        "PULSECHECK_ATTEMPT_TIMEOUT_SECONDS": "3",
        "PULSECHECK_RECIPIENT_HASH_KEY": "pipeline-recipient-key",
    }


@asynccontextmanager
async def running_pipeline(
    bootstrap: str, topics: Topics, log_dir: Path, extra_ca_file: Path | None = None
) -> AsyncIterator[Pipeline]:
    """Scheduler, prober and notifier running on `topics`, and one webhook channel configured;
    `extra_ca_file` is the CA the prober trusts beside the system's (a test's own)."""
    producer = EventProducer.connect(bootstrap, "pipeline-tests")
    await producer.start()
    scheduler = Scheduler(
        SchedulerSettings(
            kafka_bootstrap=bootstrap,
            topic_prefix=topics.prefix,
            min_interval_seconds=1,
            tick_ms=50,
            idle_checkpoint_seconds=1,
            health_host="127.0.0.1",
            health_port=0,
        ),
        wall_clock_ms,
    )
    trust = {"extra_ca_file": str(extra_ca_file)} if extra_ca_file else {}
    prober = ProberService(
        ProberSettings(
            kafka_bootstrap=bootstrap,
            topic_prefix=topics.prefix,
            target_allow_list=LOOPBACK,
            health_host="127.0.0.1",
            health_port=0,
            use_uvloop=False,
            drain_seconds=2,
            **trust,  # type: ignore[arg-type]
        )
    )
    with webhook_receiver(SECRET) as webhook:
        notifier = NotifierProcess(
            _notifier_env(bootstrap, topics, webhook), log_dir / "notifier.log"
        )
        pipeline = Pipeline(topics, producer, webhook)
        hook = channel("webhook", webhook.url + "/hook", secret=SECRET, account_id=ACCOUNT)
        await pipeline._publish(topics.channels, hook, hook.channel_id)
        reader = committed_reader(
            bootstrap, topics.checks_completed, deadline=time.monotonic() + 30
        )
        async with reader as consumer:
            collecting = asyncio.create_task(_collect(consumer, pipeline.results))
            await scheduler.start()
            probing = asyncio.create_task(prober.run())
            notifier.start()
            try:
                await wait_until(
                    lambda: notifier.counter("pulsecheck_notifier_configuration_events_total"),
                    what="the webhook channel read",
                )
                yield pipeline
            finally:
                prober.request_stop()
                exit_code = notifier.stop()
                await scheduler.stop()
                await asyncio.wait_for(probing, 30)
                collecting.cancel()
                await asyncio.gather(collecting, return_exceptions=True)
                await producer.stop()
                assert exit_code == 0, (log_dir / "notifier.log").read_text()[-3000:]
