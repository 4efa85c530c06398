"""`pulsecheck-admin delete-account / suspend-account / reinstate-account ACCOUNT_ID`: what the
API's own account commands do, with a pool and producer of the command's own instead of a
server's."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pulsecheck.query_api.api.account_commands import (
    EndedAccount,
    end_account,
    reinstate_account,
    suspend_account,
)
from pulsecheck.query_api.api.app import build_context
from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import build_pool
from pulsecheck.shared.kafka.producer import EventProducer, build_producer


@asynccontextmanager
async def api_context(settings: QueryApiSettings) -> AsyncIterator[AppContext]:
    pool = build_pool(settings.database_url, 1, 2, timeout=settings.db_pool_timeout_seconds)
    producer = EventProducer(
        build_producer(
            settings.kafka_bootstrap, "pulsecheck-admin", security=settings.kafka_security()
        )
    )
    await pool.open(wait=True)
    try:
        await producer.start()
        try:
            yield build_context(settings, pool, producer)
        finally:
            await producer.stop()
    finally:
        await pool.close()


async def delete_account(settings: QueryApiSettings, account_id: uuid.UUID) -> EndedAccount:
    async with api_context(settings) as context:
        return await end_account(context, account_id)


async def suspend(settings: QueryApiSettings, account_id: uuid.UUID) -> int:
    async with api_context(settings) as context:
        return await suspend_account(context, account_id)


async def reinstate(settings: QueryApiSettings, account_id: uuid.UUID) -> int:
    async with api_context(settings) as context:
        return await reinstate_account(context, account_id)
