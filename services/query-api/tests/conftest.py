"""Fixtures of the query-api tests: a fresh migrated database per run, an app, tenants,
and the real projector to fill the read model the API serves."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.projector.main import project
from pulsecheck.projector.metrics import ProjectorMetrics
from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.databases import create_database, drop_database
from pulsecheck.read_model.migrations.runner import upgrade
from pulsecheck.read_model.storage.accounts import create_account
from pulsecheck.read_model.storage.connection import Pool, build_pool
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.target_safety import TargetUnresolvable
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.check_events import EventFactory

T = TypeVar("T")


@pytest.fixture(scope="session")
def query_database_url(database_url: str) -> Iterator[str]:
    """A database of this test run only, migrated to head, dropped afterwards."""
    url = create_database(database_url)
    upgrade(url)
    yield url
    drop_database(database_url, url)


@pytest.fixture
def settings(query_database_url: str, kafka_bootstrap: str, topics: Topics) -> QueryApiSettings:
    return QueryApiSettings(
        database_url=query_database_url,
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topics.prefix,
        min_interval_seconds=30,
        check_ssl_per_minute=3,
    )


@pytest.fixture
def projector_settings(settings: QueryApiSettings) -> ProjectorSettings:
    """The projector that fills this test's read model from this test's topics."""
    return ProjectorSettings(
        database_url=settings.database_url,
        kafka_bootstrap=settings.kafka_bootstrap,
        topic_prefix=settings.topic_prefix,
        projector_batch_wait_ms=50,
        # the fixtures' checks are dated 2025-01-01: keep them past the retention sweep
        raw_retention_days=36_500,
    )


@pytest.fixture
async def pool(settings: QueryApiSettings) -> AsyncIterator[Pool]:
    opened = build_pool(settings.database_url, 1, 8)
    await opened.open(wait=True)
    yield opened
    await opened.close()


@pytest.fixture
async def producer(kafka_bootstrap: str) -> AsyncIterator[EventProducer]:
    started = EventProducer.connect(kafka_bootstrap, "query-api-tests")
    await started.start()
    yield started
    await started.stop()


class TableResolver:
    """Channel URLs vetted at creation without a DNS query leaving the test."""

    ANSWERS = {"hooks.slack.com": ["93.184.216.34"], "hooks.internal.test": ["10.1.2.3"]}

    async def resolve(self, host: str, port: int) -> Sequence[str]:
        if host not in self.ANSWERS:
            raise TargetUnresolvable(host)
        return self.ANSWERS[host]


@pytest.fixture
async def client(
    settings: QueryApiSettings, pool: Pool, producer: EventProducer
) -> AsyncIterator[httpx.AsyncClient]:
    guard = TargetGuard(settings.allow_list(), TableResolver())
    app = create_app(settings, pool=pool, producer=producer, channel_guard=guard)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@dataclass(frozen=True)
class Tenant:
    account_id: uuid.UUID
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


async def new_tenant(pool: Pool, name: str) -> Tenant:
    async with pool.connection() as conn:
        created = await create_account(conn, name)
    return Tenant(created.account_id, created.api_key)


@pytest.fixture
async def alice(pool: Pool) -> Tenant:
    return await new_tenant(pool, "alice")


@pytest.fixture
async def bob(pool: Pool) -> Tenant:
    return await new_tenant(pool, "bob")


async def leaders_elected(bootstrap: str, topics: Topics) -> bool:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics([spec.name for spec in topics.specs()])
    finally:
        await admin.close()
    return all(
        topic["error_code"] == 0 and all(p["leader"] >= 0 for p in topic["partitions"])
        for topic in described
    )


@pytest.fixture
async def running_projector(
    projector_settings: ProjectorSettings, topics: Topics
) -> AsyncIterator[None]:
    """The live projector of this test's topics, stopped at teardown."""
    # freshly created topics may not have leaders yet; a consumer starting then stalls
    await wait_until(lambda: leaders_elected(projector_settings.kafka_bootstrap, topics), within=30)
    stop = asyncio.Event()
    task = asyncio.create_task(project(projector_settings, stop, ProjectorMetrics()))
    yield
    stop.set()
    await asyncio.wait_for(task, timeout=30)


Eventually = Callable[..., Awaitable[object]]


@pytest.fixture
def eventually() -> Callable[..., Awaitable[object]]:
    return wait_until


async def wait_until(
    probe: Callable[[], Awaitable[T | None]], within: float = 30.0, interval: float = 0.05
) -> T:
    """The first truthy answer of `probe` within `within` seconds, else a test failure."""
    deadline = time.monotonic() + within
    while True:
        answer = await probe()
        if answer:
            return answer
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {within} s")
        await asyncio.sleep(interval)


@pytest.fixture
def event_factory() -> EventFactory:
    return EventFactory()
