"""The projector's probes from fake state, and PostgreSQL's round trip against the real server."""

from __future__ import annotations

from typing import Any

from pulsecheck.projector.health import ProjectorProbes, postgres_problems
from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.shared.liveness import TimerWatch
from pulsecheck.testing.ports import free_port


class FakeWatch:
    async def stuck(self, now: float) -> dict[str, Any]:
        return {}

    async def unready(self) -> dict[str, Any]:
        return {}

    def details(self) -> dict[str, Any]:
        return {"held_partitions": 12, "lag": 0}


async def test_a_silent_batch_loop_fails_liveness() -> None:
    clock = [0.0]
    probes = ProjectorProbes("postgresql://nowhere", monotonic=lambda: clock[0])
    assert await probes.liveness() == (True, {"state": "starting"})
    loop = TimerWatch(120.0, 0.0, tolerance=1.0)
    probes.attach(FakeWatch(), loop)  # type: ignore[arg-type]
    loop.beat(10.0)
    clock[0] = 130.0
    assert (await probes.liveness())[0]
    clock[0] = 131.0
    ok, details = await probes.liveness()
    assert not ok and details["problems"] == {"batch_loop_silent_seconds": 121}


async def test_readiness_asks_postgres_for_real() -> None:
    nowhere = f"postgresql://pulsecheck:pulsecheck@127.0.0.1:{free_port()}/pulsecheck"
    probes = ProjectorProbes(nowhere)
    ok, details = await probes.readiness()
    assert not ok
    assert details["problems"]["state"] == "starting"
    assert details["problems"]["postgres"].startswith("unreachable: ")
    assert await postgres_problems(ProjectorSettings().database_url) == {}
