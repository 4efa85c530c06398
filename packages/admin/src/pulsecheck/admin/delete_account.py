"""`pulsecheck-admin delete-account ACCOUNT_ID`: what `DELETE /account` does, through the API's
own command (`end_account`), with a pool and producer of its own instead of a server's."""

from __future__ import annotations

import uuid

from pulsecheck.query_api.api.account_commands import EndedAccount, end_account
from pulsecheck.query_api.api.app import build_context
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import build_pool
from pulsecheck.shared.kafka.producer import EventProducer, build_producer


async def delete_account(settings: QueryApiSettings, account_id: uuid.UUID) -> EndedAccount:
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
            return await end_account(build_context(settings, pool, producer), account_id)
        finally:
            await producer.stop()
    finally:
        await pool.close()
