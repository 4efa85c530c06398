"""`pulsecheck-scheduler`: run the scheduler until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import logging
import signal
import time

import uvloop
from prometheus_client import generate_latest

from pulsecheck.scheduler.service import Scheduler
from pulsecheck.scheduler.settings import SchedulerSettings
from pulsecheck.shared.health import HealthServer, Verdict
from pulsecheck.shared.logs import configure_logging

log = logging.getLogger("pulsecheck.scheduler")


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


async def run(settings: SchedulerSettings) -> None:
    scheduler = Scheduler(settings, wall_clock_ms)

    async def status() -> Verdict:
        return scheduler.status()

    health = HealthServer(
        settings.health_host,
        settings.health_port,
        liveness=status,
        readiness=status,
        exposition=lambda: generate_latest(scheduler.metrics.registry),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await health.start()
    await scheduler.start()
    log.info("health endpoint listening", extra={"port": health.port})
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        await scheduler.stop()
        await health.stop()


def main() -> None:
    settings = SchedulerSettings()
    configure_logging("pulsecheck.scheduler", settings.log_level)
    uvloop.run(run(settings))
