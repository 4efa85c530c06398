"""Fixtures for every package's tests: the real local Kafka broker and PostgreSQL server.

`scripts/test` starts both (through `scripts/infra up`) and exports their addresses; a test
that needs one and finds no address fails with a clear message rather than skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.topics import Topics


def _required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run the tests through scripts/test (it starts the infra)")
    return value


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    return _required_env("PULSECHECK_KAFKA_BOOTSTRAP")


@pytest.fixture(scope="session")
def database_url() -> str:
    return _required_env("PULSECHECK_DATABASE_URL")


@pytest.fixture
async def topics(kafka_bootstrap: str) -> AsyncIterator[Topics]:
    """A fresh, created set of PulseCheck topics (3 partitions) private to one test.

    Deleted afterwards with everything else under its prefix (changelogs, progress topics):
    a broker that keeps every test's partitions runs out of file descriptors on restart.
    """
    isolated = Topics(prefix=f"t{uuid.uuid4().hex[:10]}.")
    await ensure_topics(kafka_bootstrap, isolated.specs(), partitions=3)
    yield isolated
    await _delete_topics_under(kafka_bootstrap, isolated.prefix)


async def _delete_topics_under(bootstrap: str, prefix: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="pulsecheck-tests")
    await admin.start()
    try:
        names = [name for name in await admin.list_topics() if name.startswith(prefix)]
        if names:
            await admin.delete_topics(names)
    finally:
        await admin.close()
