"""Fixtures for every package's tests: the real local Kafka broker and PostgreSQL server.

`scripts/test` starts both (through `scripts/infra up`) and exports their addresses; a test
that needs one and finds no address fails with a clear message rather than skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest

from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.kafka import delete_topics_under


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
    """A fresh, created set of PulseCheck topics (3 partitions) private to one test, deleted
    afterwards with everything else under its prefix (changelogs, progress topics)."""
    isolated = Topics(prefix=f"t{uuid.uuid4().hex[:10]}.")
    await ensure_topics(kafka_bootstrap, isolated.specs(), partitions=3)
    yield isolated
    await delete_topics_under(kafka_bootstrap, isolated.prefix)
