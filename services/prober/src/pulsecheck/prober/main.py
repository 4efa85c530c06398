"""`pulsecheck-prober`: run one prober process until SIGTERM / SIGINT."""

from __future__ import annotations

import asyncio
import gc

from pulsecheck.prober.service import ProberService
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.shared.logs import configure_logging
from pulsecheck.shared.runtime import run_until_stopped


async def serve(settings: ProberSettings, stop: asyncio.Event) -> None:
    await ProberService(settings, stop=stop).run()


# a check allocates ~100 short-lived container objects; with the default gen-0 threshold
# (700) the collector ran every few checks and re-walked every long-lived module object:
# 5.7 % of the prober's CPU in the end-to-end profile
GC_THRESHOLDS = (50_000, 20, 20)


def main() -> None:
    settings = ProberSettings()
    configure_logging("pulsecheck.prober", settings.log_level)
    # what start-up imported lives for the whole process: out of every collection
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    run_until_stopped(lambda stop: serve(settings, stop), use_uvloop=settings.use_uvloop)
