"""Wiring the prober: Kafka consumer and producer, probe context, health endpoint, worker."""

from __future__ import annotations

import asyncio
import logging
import time

from pulsecheck.checks import ProbeContext
from pulsecheck.prober.fair_share import FairShare, share_of
from pulsecheck.prober.health import ProberProbes
from pulsecheck.prober.metrics import ProberMetrics
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.prober.worker import ProberWorker
from pulsecheck.shared.health import HealthServer
from pulsecheck.shared.kafka.consumer import build_consumer
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.kafka.watch import ConsumerWatch

log = logging.getLogger(__name__)


def probe_context_from(settings: ProberSettings) -> ProbeContext:
    return ProbeContext.build(
        region=settings.region,
        allow=settings.allow_list(),
        extra_ca_pem=settings.extra_ca_pem(),
        header_opener=settings.header_opener(),
    )


class ProberService:
    """One prober process: `start`, then `run` until `request_stop` (SIGTERM)."""

    def __init__(
        self,
        settings: ProberSettings,
        ctx: ProbeContext | None = None,
        stop: asyncio.Event | None = None,
    ) -> None:
        self.settings = settings
        self.ctx = ctx or probe_context_from(settings)
        self.metrics = ProberMetrics()
        self.stop_requested = stop or asyncio.Event()
        group = settings.consumer_group()
        # the worker bounds what it takes; the factory's prefetch (1 MiB) is modest too
        security = settings.kafka_security()
        self._consumer = build_consumer(
            settings.kafka_bootstrap, f"{group}-consumer", group_id=group, security=security
        )
        self._producer = EventProducer.connect(
            settings.kafka_bootstrap, f"{group}-producer", security
        )
        self.worker = ProberWorker(
            self._consumer,
            self._producer,
            self.ctx,
            settings.topics(),
            settings.prober_concurrency,
            self.metrics,
            consumer_name=group,
            fair_share=FairShare(
                account_cap=share_of(settings.prober_concurrency, settings.prober_account_share),
                host_cap=settings.prober_host_concurrency,
            ),
        )

        watch = ConsumerWatch(
            settings.kafka_bootstrap,
            self._consumer,
            self.worker.listener,
            (settings.topics().checks_requested,),
            group,
            settings.stall_seconds,
            time.monotonic(),
            security=security,
        )
        self.probes = ProberProbes(
            watch,
            self.metrics,
            settings.max_skip_ratio,
            lambda: self.worker.running,
            settings.region,
        )
        self.health = HealthServer(
            settings.health_host,
            settings.health_port,
            liveness=self.probes.liveness,
            readiness=self.probes.readiness,
            exposition=self.probes.exposition,
        )
        self.health_port: int | None = None

    def request_stop(self) -> None:
        self.stop_requested.set()

    async def run(self) -> None:
        await self.health.start()
        self.health_port = self.health.port
        await self._producer.start()
        try:
            self.worker.subscribe()
            await self._consumer.start()
            log.info(
                "prober started",
                extra={
                    "region": self.settings.region,
                    "group": self.settings.consumer_group(),
                    "concurrency": self.settings.prober_concurrency,
                    "health_port": self.health_port,
                },
            )
            try:
                await self.worker.run(self.stop_requested, self.settings.drain_seconds)
            finally:
                await self._consumer.stop()
        finally:
            await self._producer.stop()
            await self.health.stop()
            log.info("prober stopped")
