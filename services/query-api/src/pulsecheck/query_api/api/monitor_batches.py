"""Register many monitors in one command: every spec validated and every quota checked as a
single create would (`checked_spec`, `monitor_refusal`), all of it before anything is published,
then the events published together and the rows written in one transaction.

All or nothing up to the publish: a 4xx names the item (`index`) and nothing was published.
A broker failure part-way is a 503 like a single create's, and the projector writes the rows of
whatever was delivered, so there is never a row without its event.
"""

from __future__ import annotations

import asyncio
import uuid
from contextlib import AsyncExitStack
from typing import Any

from pulsecheck.query_api.api.check_requests import request_first_checks
from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import ApiError, event_bus_unavailable
from pulsecheck.query_api.api.monitor_commands import (
    SOURCE,
    check_channels,
    checked_spec,
    lock_key,
    sealed_spec,
)
from pulsecheck.query_api.api.quotas import account_lock, limits_for, monitor_refusal
from pulsecheck.read_model.event_ids import event_uuid
from pulsecheck.read_model.storage.account_limits import limit_overrides, live_monitor_count
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.monitor_writes import apply_monitor_spec
from pulsecheck.shared.events import Envelope, MonitorRegistered, encode, new_envelope

# one request's worth: the API's publish timeout must cover the whole batch
MAX_BATCH = 1000


def _for_item(index: int, error: ApiError) -> ApiError:
    """The same refusal a single create would give, saying which item broke it."""
    return ApiError(error.status, error.error, f"websites[{index}]: {error.reason}",
                    headers=error.headers, **{**error.extra, "index": index})  # fmt: skip


def _specs(
    context: AppContext, account_id: uuid.UUID, items: list[dict[str, Any]]
) -> list[MonitorRegistered]:
    specs: list[MonitorRegistered] = []
    seen: dict[str, int] = {}
    for index, fields in enumerate(items):
        own = {**fields, "monitor_id": str(uuid.uuid4()), "account_id": str(account_id)}
        try:
            spec = sealed_spec(context, checked_spec(own, context, MonitorRegistered))
        except ApiError as exc:
            raise _for_item(index, exc) from exc
        if spec.url in seen:
            raise _for_item(index, ApiError(
                409, "duplicate_url", f"the same URL as websites[{seen[spec.url]}]",
            ))  # fmt: skip
        seen[spec.url] = index
        specs.append(spec)
    return specs


async def _checked(
    context: AppContext, conn: Connection, account_id: uuid.UUID, specs: list[MonitorRegistered]
) -> None:
    urls = [spec.url for spec in specs]
    cursor = await conn.execute(
        "SELECT url, id FROM monitors"
        " WHERE account_id = %s AND url = ANY(%s) AND removed_at IS NULL",
        (account_id, urls),
    )
    existing = {row["url"]: row["id"] for row in await cursor.fetchall()}
    limits = limits_for(context.settings, await limit_overrides(conn, account_id))
    await account_lock(conn, account_id, "monitors")
    live = await live_monitor_count(conn, account_id)
    for index, spec in enumerate(specs):
        if spec.url in existing:
            raise _for_item(index, ApiError(
                409, "duplicate_url", "a monitor for this URL already exists in this account",
                existing_id=str(existing[spec.url]),
            ))  # fmt: skip
        # as if created one after another: the n-th counts the n - 1 before it
        refusal = monitor_refusal(limits, spec, live + index)
        if refusal is not None:
            raise _for_item(index, refusal)
        try:
            await check_channels(conn, account_id, spec)
        except ApiError as exc:
            raise _for_item(index, exc) from exc


async def _publish_all(context: AppContext, envelopes: list[Envelope]) -> list[int]:
    producer = context.producer.raw
    topic = context.topics.monitors
    try:
        async with asyncio.timeout(context.settings.publish_timeout_seconds):
            # send() only queues: the producer batches them; then wait for every confirmation
            futures = [
                await producer.send(topic, encode(e), key=e.subject.encode()) for e in envelopes
            ]
            metadata = await asyncio.gather(*futures)
    except Exception as exc:  # any Kafka failure or timeout: the command is not confirmed
        raise event_bus_unavailable() from exc
    context.metrics.events_published.labels(topic).inc(len(envelopes))
    return [int(m.offset) for m in metadata]


async def register_monitors(
    context: AppContext, account_id: uuid.UUID, items: list[dict[str, Any]]
) -> list[uuid.UUID]:
    specs = _specs(context, account_id, items)
    async with AsyncExitStack() as locks:
        # sorted, so two batches sharing URLs take their locks in the same order
        for url in sorted(spec.url for spec in specs):
            await locks.enter_async_context(context.command_locks.hold(lock_key(account_id, url)))
        async with context.pool.connection() as conn:
            await _checked(context, conn, account_id, specs)
        envelopes = [new_envelope(s, source=SOURCE, subject=s.monitor_id) for s in specs]
        offsets = await _publish_all(context, envelopes)
        async with context.pool.connection() as conn:
            for spec, envelope, offset in zip(specs, envelopes, offsets, strict=True):
                await apply_monitor_spec(conn, spec, event_uuid(envelope.id), offset, envelope.time)
    await asyncio.gather(*(request_first_checks(context, spec) for spec in specs))
    return [uuid.UUID(spec.monitor_id) for spec in specs]
