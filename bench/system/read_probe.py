"""Result-to-read: a sampled check's `finished_at` → its row visible through the REST API
(`last_checked_at` at or past the check's start), polled as a user's dashboard would."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import datetime

import httpx

from bench.system.observe import Observed

POLL_SECONDS = 0.1
GIVE_UP_SECONDS = 60.0


async def _one(client: httpx.AsyncClient, monitor_id: str, started: float, done: float) -> float:
    deadline = time.time() + GIVE_UP_SECONDS
    while time.time() < deadline:
        reply = await client.get(f"/websites/{monitor_id}")
        seen = reply.json().get("last_checked_at") if reply.status_code == 200 else None
        if seen and datetime.fromisoformat(seen).timestamp() >= started - 0.001:
            return (time.time() - done) * 1000
        await asyncio.sleep(POLL_SECONDS)
    return float("nan")


async def probe_reads(
    base_url: str, key: str, observed: Observed, end: float, every: float = 1.0
) -> list[float]:
    """Every `every` seconds until `end`, the freshest result of a random monitor."""
    latencies: list[float] = []
    async with httpx.AsyncClient(
        base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=10
    ) as client:
        while time.time() < end:
            await asyncio.sleep(every)
            fresh = [(m, s, d) for m, (s, d) in observed.finished_at.items() if d > time.time() - 1]
            if not fresh:
                continue
            latencies.append(await _one(client, *random.choice(fresh)))
    return [x for x in latencies if x == x]  # drop the ones never seen (NaN)
