"""A PostgreSQL outage pauses the projector's step (retried on a new connection) and the
backoff between tries is capped, jittered and never zero."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import psycopg
import pytest

from pulsecheck.projector.database import Backoff, Database
from pulsecheck.read_model.storage.connection import Connection


def test_the_backoff_doubles_up_to_its_cap_with_half_of_it_random() -> None:
    backoff = Backoff(first_seconds=0.2, max_seconds=5.0)
    lowest = [backoff.delay(attempt, lambda: 0.0) for attempt in range(8)]
    highest = [backoff.delay(attempt, lambda: 1.0) for attempt in range(8)]
    assert lowest == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.6, 2.5, 2.5, 2.5])
    assert highest == pytest.approx([0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0, 5.0])
    assert backoff.delay(10_000, lambda: 1.0) == 5.0


class _Connection:
    def __init__(self, number: int) -> None:
        self.number = number
        self.closed = False

    async def close(self) -> None:
        self.closed = True


async def test_a_lost_connection_is_replaced_and_the_step_tried_again() -> None:
    made: list[_Connection] = []
    outage_left = 3

    async def connect() -> Connection:
        nonlocal outage_left
        if made and outage_left > 0:  # PostgreSQL refuses while it is away
            outage_left -= 1
            raise psycopg.OperationalError("connection refused")
        made.append(_Connection(len(made)))
        return cast(Connection, made[-1])

    async def step(conn: Any) -> int:
        if conn.number == 0:
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return int(conn.number)

    db = Database(connect, backoff=Backoff(first_seconds=0.001, max_seconds=0.002))
    assert await db.run(step) == 1
    assert made[0].closed and not made[1].closed


async def test_stopping_ends_the_retries() -> None:
    stop = asyncio.Event()

    async def connect() -> Connection:
        stop.set()
        raise psycopg.OperationalError("connection refused")

    async def step(conn: Any) -> None:
        raise AssertionError("never reached")

    db = Database(connect, stop, Backoff(first_seconds=60, max_seconds=60))
    with pytest.raises(psycopg.OperationalError):
        async with asyncio.timeout(5):
            await db.run(step)


async def test_a_given_connection_is_not_retried() -> None:
    async def step(conn: Any) -> None:
        raise psycopg.OperationalError("lost")

    with pytest.raises(psycopg.OperationalError):
        await Database.of(cast(Connection, _Connection(0))).run(step)
