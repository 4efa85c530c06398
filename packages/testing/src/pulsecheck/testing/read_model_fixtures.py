"""Fixtures of the suites over the read model (the projector's and the query API's): a migrated
database per run, both services' settings on the test's topics, a pool, a producer, the API's
client, tenants, and the live projector that fills the tables the API serves.

Each suite's conftest star-imports `__all__`, the fixtures: pytest takes `pytest_plugins` only
from the root conftest, and there they would reach every other suite too.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest

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
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.check_events import EventFactory
from pulsecheck.testing.kafka import leaders_elected
from pulsecheck.testing.resolvers import TableResolver
from pulsecheck.testing.sealing_keys import RunKeys, run_keys
from pulsecheck.testing.waiting import wait_until

# the fixtures, for the conftests' star import; a suite that needs another one names it there
__all__ = [
    "alice",
    "api_settings",
    "bob",
    "client",
    "event_factory",
    "eventually",
    "leaders_ready",
    "pool",
    "producer",
    "projector_settings",
    "query_database_url",
    "running_projector",
    "sealing_keys",
]

Eventually = Callable[..., Awaitable[object]]


@pytest.fixture(scope="session")
def query_database_url(database_url: str) -> Iterator[str]:
    """A database of this test run only, migrated to head, dropped afterwards."""
    url = create_database(database_url)
    upgrade(url)
    yield url
    drop_database(database_url, url)


@pytest.fixture(scope="session")
def sealing_keys() -> RunKeys:
    return run_keys()


@pytest.fixture
def api_settings(
    query_database_url: str, kafka_bootstrap: str, topics: Topics, sealing_keys: RunKeys
) -> QueryApiSettings:
    return QueryApiSettings(
        sealing_public_keys=sealing_keys.channel_public,
        header_sealing_public_keys=sealing_keys.header_public,
        database_url=query_database_url,
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topics.prefix,
        min_interval_seconds=30,
        check_ssl_per_minute=3,
    )


@pytest.fixture
def projector_settings(api_settings: QueryApiSettings) -> ProjectorSettings:
    """The projector that fills the API's read model from the same topics."""
    shared = api_settings.model_dump(include={"database_url", "kafka_bootstrap", "topic_prefix"})
    return ProjectorSettings(
        **shared,
        projector_batch_wait_ms=50,
        # the fixtures' checks are dated 2025-01-01: keep them past the retention sweep
        raw_retention_days=36_500,
    )


@pytest.fixture
async def pool(query_database_url: str) -> AsyncIterator[Pool]:
    opened = build_pool(query_database_url, 1, 8)
    await opened.open(wait=True)
    yield opened
    await opened.close()


@pytest.fixture
async def producer(kafka_bootstrap: str) -> AsyncIterator[EventProducer]:
    started = EventProducer.connect(kafka_bootstrap, "read-model-tests")
    await started.start()
    yield started
    await started.stop()


@pytest.fixture
async def client(
    api_settings: QueryApiSettings, pool: Pool, producer: EventProducer
) -> AsyncIterator[httpx.AsyncClient]:
    """The query API over the test's tables: what was projected is what is served."""
    async with api_client(api_settings, pool, producer) as http:
        yield http


@asynccontextmanager
async def api_client(
    settings: QueryApiSettings, pool: Pool, producer: EventProducer
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the app over `pool` and `producer`, in process (ASGI)."""
    # channel URLs are vetted at creation; their names resolve from a table, never the network
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


@pytest.fixture
async def leaders_ready(kafka_bootstrap: str, topics: Topics) -> None:
    """Every partition of this test's topics has a leader (a consumer may start)."""
    names = [spec.name for spec in topics.specs()]
    await wait_until(
        lambda: leaders_elected(kafka_bootstrap, names), within=30, what="partition leaders"
    )


@pytest.fixture
async def running_projector(
    projector_settings: ProjectorSettings, leaders_ready: None
) -> AsyncIterator[None]:
    """The live projector of this test's topics, stopped at teardown."""
    # leaders_ready: a consumer started before freshly created topics have leaders stalls
    stop = asyncio.Event()
    task = asyncio.create_task(project(projector_settings, stop, ProjectorMetrics()))
    yield
    stop.set()
    await asyncio.wait_for(task, timeout=30)


@pytest.fixture
def eventually() -> Eventually:
    return wait_until


@pytest.fixture
def event_factory() -> EventFactory:
    return EventFactory()
