"""Wiring the prober: Kafka consumer and producer, probe context, health endpoint, worker."""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaConsumer

from pulsecheck.checks import ProbeContext
from pulsecheck.prober.fair_share import FairShare, share_of
from pulsecheck.prober.metrics import ProberMetrics
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.prober.worker import ProberWorker
from pulsecheck.shared.health import HealthServer, Verdict
from pulsecheck.shared.kafka.producer import EventProducer

log = logging.getLogger(__name__)


def probe_context_from(settings: ProberSettings) -> ProbeContext:
    return ProbeContext.build(
        region=settings.region,
        allow=settings.allow_list(),
        extra_ca_pem=settings.extra_ca_pem(),
    )


class ProberService:
    """One prober process: `start`, then `run` until `request_stop` (SIGTERM)."""

    def __init__(self, settings: ProberSettings, ctx: ProbeContext | None = None) -> None:
        self.settings = settings
        self.ctx = ctx or probe_context_from(settings)
        self.metrics = ProberMetrics()
        self.stop_requested = asyncio.Event()
        group = settings.consumer_group()
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=settings.kafka_bootstrap,
            group_id=group,
            client_id=f"{group}-consumer",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            # the scheduler emits in transactions; never act on a request it aborted
            isolation_level="read_committed",
            # the worker bounds what it takes; keep the prefetch modest too
            max_partition_fetch_bytes=1024 * 1024,
        )
        self._producer = EventProducer.connect(settings.kafka_bootstrap, f"{group}-producer")
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

        async def status() -> Verdict:
            return self.worker.running, {"region": settings.region}

        self.health = HealthServer(
            settings.health_host,
            settings.health_port,
            liveness=status,
            readiness=status,
            exposition=self.metrics.exposition,
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
