"""`pulsecheck-prober`: run one prober process until SIGTERM / SIGINT."""

from __future__ import annotations

import asyncio
import signal

from pulsecheck.prober.service import ProberService
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.shared.logs import configure_logging


async def serve(settings: ProberSettings) -> None:
    service = ProberService(settings)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, service.request_stop)
    await service.run()


def main() -> None:
    settings = ProberSettings()
    configure_logging("pulsecheck.prober", settings.log_level)
    if settings.use_uvloop:
        import uvloop

        uvloop.run(serve(settings))
    else:
        asyncio.run(serve(settings))
