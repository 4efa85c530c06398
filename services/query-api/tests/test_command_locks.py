"""Commands on one key run one at a time; other keys do not wait; nothing is left behind."""

from __future__ import annotations

import asyncio

from pulsecheck.query_api.api.command_locks import KeyedLocks


async def test_one_key_is_held_by_one_command_at_a_time() -> None:
    locks = KeyedLocks()
    inside: list[str] = []
    entered = asyncio.Event()
    release = asyncio.Event()

    async def first() -> None:
        async with locks.hold("a"):
            inside.append("first")
            entered.set()
            await release.wait()
            inside.remove("first")

    async def second() -> None:
        await entered.wait()
        async with locks.hold("a"):
            assert inside == []

    async def other_key() -> None:
        await entered.wait()
        async with locks.hold("b"):
            assert inside == ["first"]  # not blocked by "a"
        release.set()

    await asyncio.gather(first(), second(), other_key())
    assert len(locks) == 0


async def test_a_failing_command_releases_its_key() -> None:
    locks = KeyedLocks()
    try:
        async with locks.hold("a"):
            raise ValueError("refused")
    except ValueError:
        pass
    assert len(locks) == 0
    async with asyncio.timeout(1), locks.hold("a"):
        pass
