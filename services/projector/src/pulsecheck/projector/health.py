"""The projector's two probes, built from its state.

- liveness: the batch loop turns, no partition with lag is stuck, and the member has not held
  nothing for long while it should;
- readiness: PostgreSQL answers `SELECT 1` on a new connection, the broker answers now, and
  the member holds its share of the partitions, each resumed from the position stored with the
  read model (the listener counts a partition as held only once it has sought there).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from pulsecheck.read_model.storage.connection import connect
from pulsecheck.shared.health import Problems, Verdict, verdict
from pulsecheck.shared.kafka.watch import ConsumerWatch
from pulsecheck.shared.liveness import TimerWatch

POSTGRES_TIMEOUT_SECONDS = 2.0


async def postgres_problems(database_url: str) -> Problems:
    try:
        async with asyncio.timeout(POSTGRES_TIMEOUT_SECONDS):
            conn = await connect(database_url, autocommit=True)
            try:
                await conn.execute("SELECT 1")
            finally:
                await conn.close()
    except Exception as exc:
        return {"postgres": f"unreachable: {type(exc).__name__}: {exc}"[:200]}
    return {}


@dataclass
class ProjectorProbes:
    database_url: str
    monotonic: Callable[[], float] = time.monotonic
    # both None until the live projector has subscribed (a rebuild runs first)
    watch: ConsumerWatch | None = None
    batch_loop: TimerWatch | None = None

    def attach(self, watch: ConsumerWatch, batch_loop: TimerWatch) -> None:
        self.watch, self.batch_loop = watch, batch_loop

    async def liveness(self) -> Verdict:
        if self.watch is None or self.batch_loop is None:
            return verdict({}, state="starting")
        now = self.monotonic()
        problems = await self.watch.stuck(now)
        if self.batch_loop.silent(now):
            problems["batch_loop_silent_seconds"] = round(self.batch_loop.silent_for(now))
        return verdict(problems, **self.watch.details())

    async def readiness(self) -> Verdict:
        kafka = self.watch.unready() if self.watch is not None else _starting()
        found = await asyncio.gather(kafka, postgres_problems(self.database_url))
        return verdict(found[0] | found[1])


async def _starting() -> Problems:
    return {"state": "starting"}
