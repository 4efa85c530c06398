"""`pulsecheck-scheduler`: run the scheduler until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import logging
import time

from prometheus_client import generate_latest

from pulsecheck.scheduler.health import SchedulerProbes
from pulsecheck.scheduler.service import Scheduler
from pulsecheck.scheduler.settings import SchedulerSettings
from pulsecheck.shared.health import HealthServer
from pulsecheck.shared.kafka.watch import ConsumerWatch
from pulsecheck.shared.logs import configure_logging
from pulsecheck.shared.runtime import run_until_stopped

log = logging.getLogger("pulsecheck.scheduler")


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


def probes_of(scheduler: Scheduler) -> SchedulerProbes:
    """The probes of a started scheduler."""
    settings = scheduler.settings
    watch = ConsumerWatch(
        settings.kafka_bootstrap,
        scheduler.consumer,
        scheduler.listener,
        (settings.topics().monitors,),
        settings.group_id(),
        settings.stall_seconds,
        time.monotonic(),
        security=settings.kafka_security(),
    )
    return SchedulerProbes(watch, lambda: scheduler.owners, lambda: scheduler.feeding)


async def run(settings: SchedulerSettings, stop: asyncio.Event) -> None:
    scheduler = Scheduler(settings, wall_clock_ms)
    await scheduler.start()
    liveness, readiness = probes_of(scheduler).probes()
    health = HealthServer(
        settings.health_host,
        settings.health_port,
        liveness=liveness,
        readiness=readiness,
        exposition=lambda: generate_latest(scheduler.metrics.registry),
    )
    await health.start()
    log.info("health endpoint listening", extra={"port": health.port})
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        await health.stop()
        await scheduler.stop()


def main() -> None:
    settings = SchedulerSettings()
    configure_logging("pulsecheck.scheduler", settings.log_level)
    run_until_stopped(lambda stop: run(settings, stop))
