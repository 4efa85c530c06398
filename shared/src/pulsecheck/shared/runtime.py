"""Run a worker until SIGTERM or SIGINT, then let it stop cleanly."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable

Worker = Callable[[asyncio.Event], Awaitable[None]]


async def _run(worker: Worker) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await worker(stop)


def run_until_stopped(worker: Worker, *, use_uvloop: bool = True) -> None:
    """`worker(stop)` must return soon after `stop` is set; it owns its own cleanup."""
    if use_uvloop:
        try:
            import uvloop
        except ImportError:
            asyncio.run(_run(worker))
            return
        uvloop.run(_run(worker))
        return
    asyncio.run(_run(worker))
