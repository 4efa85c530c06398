"""The latest DNS answers per monitor and region (`monitor_dns_answers`): written by the
projector, read by the API and the web app."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from pulsecheck.read_model.storage.connection import Connection


@dataclass(frozen=True)
class DnsAnswers:
    monitor_id: uuid.UUID
    region: str
    account_id: uuid.UUID
    record_type: str
    nameserver: str
    rcode: str
    answers: list[str]
    ttl: int | None
    checked_at: datetime


Answer = tuple[str, str, list[str]]  # record type, rcode, records


@dataclass(frozen=True)
class StoredAnswers:
    answer: Answer
    checked_at: datetime
    changed_at: datetime


def _answer(row: DnsAnswers) -> Answer:
    return (row.record_type, row.rcode, row.answers)


def next_answers(
    stored: StoredAnswers | None, found: Sequence[DnsAnswers]
) -> tuple[DnsAnswers, datetime] | None:
    """One (monitor, region)'s newest answers and when they last changed, folding the batch's
    results in check order onto what was stored; None when none is newer than the stored."""
    newer = sorted(
        (row for row in found if stored is None or row.checked_at > stored.checked_at),
        key=lambda row: row.checked_at,
    )
    if not newer:
        return None
    current, since = (stored.answer, stored.changed_at) if stored else (None, newer[0].checked_at)
    for row in newer:
        if _answer(row) != current:
            current, since = _answer(row), row.checked_at
    return newer[-1], since


async def _stored(
    conn: Connection, keys: list[tuple[uuid.UUID, str]]
) -> dict[tuple[uuid.UUID, str], StoredAnswers]:
    cursor = await conn.execute(
        "SELECT a.monitor_id, a.region, a.record_type, a.rcode, a.answers, a.checked_at,"
        " a.changed_at FROM monitor_dns_answers a"
        " JOIN unnest(%s::uuid[], %s::text[]) AS k(monitor_id, region)"
        " ON k.monitor_id = a.monitor_id AND k.region = a.region",
        ([key[0] for key in keys], [key[1] for key in keys]),
    )
    return {
        (row["monitor_id"], row["region"]): StoredAnswers(
            (row["record_type"], row["rcode"], row["answers"]), row["checked_at"], row["changed_at"]
        )
        for row in await cursor.fetchall()
    }


_UPSERT = """
INSERT INTO monitor_dns_answers AS a (monitor_id, region, account_id, record_type, nameserver,
    rcode, answers, ttl, checked_at, changed_at)
SELECT monitor_id, region, account_id, record_type, nameserver, rcode,
    ARRAY(SELECT jsonb_array_elements_text(answers)), ttl, checked_at, changed_at
FROM unnest(%s::uuid[], %s::text[], %s::uuid[], %s::text[], %s::text[], %s::text[], %s::jsonb[],
    %s::int[], %s::timestamptz[], %s::timestamptz[])
    AS t(monitor_id, region, account_id, record_type, nameserver, rcode, answers, ttl, checked_at,
         changed_at)
ON CONFLICT (monitor_id, region) DO UPDATE SET
    record_type = excluded.record_type, nameserver = excluded.nameserver,
    rcode = excluded.rcode, answers = excluded.answers, ttl = excluded.ttl,
    checked_at = excluded.checked_at, changed_at = excluded.changed_at
WHERE a.checked_at < excluded.checked_at
"""


async def store_latest(conn: Connection, found: Sequence[DnsAnswers]) -> None:
    """Keep each (monitor, region)'s newest answers and when they last changed; an older or
    replayed result changes nothing. One partition's results reach one projector, so the read
    and the write of a (monitor, region) never race."""
    if not found:
        return
    grouped: dict[tuple[uuid.UUID, str], list[DnsAnswers]] = {}
    for row in found:
        grouped.setdefault((row.monitor_id, row.region), []).append(row)
    stored = await _stored(conn, list(grouped))
    rows: list[tuple[Any, ...]] = []
    for key, results in grouped.items():
        latest = next_answers(stored.get(key), results)
        if latest is not None:
            rows.append((*astuple(latest[0]), latest[1]))
    if not rows:
        return
    columns = [list(column) for column in zip(*rows, strict=True)]
    columns[6] = [Jsonb(values) for values in columns[6]]
    await conn.execute(_UPSERT, columns)


async def dns_answers_of(
    conn: Connection, monitor_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Each monitor's answers per region, regions in name order; absent: no DNS result yet."""
    if not monitor_ids:
        return {}
    cursor = await conn.execute(
        "SELECT monitor_id, region, record_type, nameserver, rcode, answers, ttl, checked_at,"
        " changed_at FROM monitor_dns_answers WHERE monitor_id = ANY(%s) ORDER BY region",
        (list(monitor_ids),),
    )
    found: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for row in await cursor.fetchall():
        found.setdefault(row.pop("monitor_id"), []).append(row)
    return found
