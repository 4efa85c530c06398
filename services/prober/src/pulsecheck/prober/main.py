"""`pulsecheck-prober`: run one prober process until SIGTERM / SIGINT."""

from __future__ import annotations

import asyncio

from pulsecheck.prober.service import ProberService
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.shared.logs import configure_logging
from pulsecheck.shared.runtime import run_until_stopped


async def serve(settings: ProberSettings, stop: asyncio.Event) -> None:
    await ProberService(settings, stop=stop).run()


def main() -> None:
    settings = ProberSettings()
    configure_logging("pulsecheck.prober", settings.log_level)
    run_until_stopped(lambda stop: serve(settings, stop), use_uvloop=settings.use_uvloop)
