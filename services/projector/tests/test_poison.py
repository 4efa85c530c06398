"""No record stops the projector: every poison kind is dead-lettered once on every input topic,
the good record behind them is written, and target-controlled NULs are cleaned, not refused."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.events import (
    CheckCompleted,
    CheckError,
    ErrorKind,
    TlsResult,
    encode,
    new_envelope,
)
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.poison import (
    Poison,
    dead_letters,
    expected_letters,
    letters_per_offset,
    poison_records,
    send_all,
)
from pulsecheck.testing.projections import alert_events, all_read

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def test_every_poison_on_every_topic_is_dead_lettered_once(
    alice: Any, pool: Pool, topics: Topics, event_factory: Any,
    running_projector: None, eventually: Any, kafka_bootstrap: str,
) -> None:  # fmt: skip
    account = str(alice.account_id)
    result = encode(event_factory.uptime(str(uuid.uuid4()), account, 1))
    stray_monitor = uuid.uuid4()
    incident = encode(alert_events(str(stray_monitor), account)[0])
    wrong_on = {
        topics.monitors: result,
        topics.channels: result,
        topics.checks_completed: incident,
        topics.alerts: result,
    }
    expected: dict[str, dict[tuple[int, int], int]] = {}
    for topic, stray in wrong_on.items():
        compacted = topic in (topics.monitors, topics.channels)
        poisons = poison_records(stray, compacted=compacted)
        expected[topic] = expected_letters(await send_all(kafka_bootstrap, topic, poisons))
    monitor = str(uuid.uuid4())
    good = Poison("good", b"good", encode(event_factory.uptime(monitor, account, 2)))
    await send_all(kafka_bootstrap, topics.checks_completed, [good])

    async def good_written() -> Any:
        async with pool.connection() as conn:
            return await (
                await conn.execute(
                    "SELECT 1 FROM uptime_results WHERE monitor_id = %s", (uuid.UUID(monitor),)
                )
            ).fetchone()

    await eventually(good_written)
    await eventually(lambda: all_read(pool, kafka_bootstrap, wrong_on))
    letters = await dead_letters(kafka_bootstrap, topics.deadletter)
    for topic, letters_expected in expected.items():
        assert letters_per_offset(letters, topic) == letters_expected, topic
    assert all(letter["reason"] for letter in letters)
    # the incident found on checks.completed was dead-lettered, not applied
    async with pool.connection() as conn:
        incidents = await (
            await conn.execute("SELECT id FROM incidents WHERE monitor_id = %s", (stray_monitor,))
        ).fetchall()
    assert incidents == []


async def test_a_nul_in_what_a_target_controls_is_removed_and_the_row_written(
    alice: Any, pool: Pool, producer: EventProducer, topics: Topics, event_factory: Any,
    running_projector: None, eventually: Any,
) -> None:  # fmt: skip
    # an older prober's result: the certificate's CN, issuer and SAN carry a NUL, verbatim
    monitor = str(uuid.uuid4())
    tls = event_factory.tls(monitor, str(alice.account_id), 1)
    check: CheckCompleted = tls.data.model_copy(
        update={
            "tls": TlsResult(
                valid=False, issuer="Evil\x00 CA", subject="evil\x00.test",
                sans=["a\x00b.test"],
            ),
            "error": CheckError(kind=ErrorKind.TLS, message="bad name \x00 here"),
        }
    )  # fmt: skip
    await producer.publish(
        topics.checks_completed, new_envelope(check, source="tests", subject=monitor)
    )
    after = event_factory.uptime(monitor, str(alice.account_id), 3)
    await producer.publish(topics.checks_completed, after)

    async def row() -> Any:
        async with pool.connection() as conn:
            return await (
                await conn.execute(
                    "SELECT subject, issuer, sans, error FROM tls_results WHERE monitor_id = %s",
                    (uuid.UUID(monitor),),
                )
            ).fetchone()

    written = await eventually(row)
    assert written["subject"] == "evil.test"
    assert written["issuer"] == "Evil CA"
    assert written["sans"] == ["ab.test"]
    assert written["error"] == "bad name  here"
