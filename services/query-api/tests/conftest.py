"""Fixtures of the query-api tests: a fresh migrated database per run, an app, tenants."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import httpx
import psycopg
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.database_url import libpq_url, with_database
from pulsecheck.query_api.migrations.runner import upgrade
from pulsecheck.query_api.projector.main import project
from pulsecheck.query_api.projector.metrics import ProjectorMetrics
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.query_api.storage.accounts import create_account
from pulsecheck.query_api.storage.connection import Pool, build_pool
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics

T = TypeVar("T")


def create_database(server_url: str) -> str:
    name = f"pcq_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return with_database(server_url, name)


def drop_database(server_url: str, url: str) -> None:
    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def scratch_database(database_url: str) -> Iterator[str]:
    """An empty database for one test, dropped afterwards."""
    url = create_database(database_url)
    yield url
    drop_database(database_url, url)


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


@pytest.fixture
async def client(
    settings: QueryApiSettings, pool: Pool, producer: EventProducer
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, pool=pool, producer=producer)
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
async def leaders_ready(settings: QueryApiSettings, topics: Topics) -> None:
    """Every partition of this test's topics has a leader (a consumer may start)."""
    await wait_until(lambda: leaders_elected(settings.kafka_bootstrap, topics), within=30)


@pytest.fixture
async def running_projector(settings: QueryApiSettings, topics: Topics) -> AsyncIterator[None]:
    """The live projector of this test's topics, stopped at teardown."""
    # freshly created topics may not have leaders yet; a consumer starting then stalls
    await wait_until(lambda: leaders_elected(settings.kafka_bootstrap, topics), within=30)
    stop = asyncio.Event()
    task = asyncio.create_task(project(settings, stop, ProjectorMetrics()))
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


class EventFactory:
    """Builds real v1 envelopes of what the prober and notifier publish."""

    def __init__(self) -> None:
        from datetime import UTC, datetime

        self.start = datetime(2025, 1, 1, tzinfo=UTC)

    def uptime(self, monitor: str, account: str, n: int, outcome: str = "up") -> object:
        from datetime import timedelta

        from pulsecheck.shared.events import CheckCompleted, UptimeResult, new_envelope

        at = self.start + timedelta(minutes=n)
        check = CheckCompleted(
            request_id=f"{monitor}:http:{n}",
            monitor_id=monitor,
            account_id=account,
            kind="http",
            region="eu",
            target="https://example.com/",
            scheduled_for=at,
            started_at=at,
            finished_at=at,
            outcome=outcome,  # type: ignore[arg-type]
            uptime=UptimeResult(status_code=200 if outcome != "down" else 503, latency_ms=20 + n),
        )
        return new_envelope(check, source="tests", subject=monitor, time=at)

    def tls(self, monitor: str, account: str, n: int, valid: bool = True) -> object:
        from datetime import timedelta

        from pulsecheck.shared.events import (
            CheckCompleted,
            CheckError,
            ErrorKind,
            TlsResult,
            new_envelope,
        )

        at = self.start + timedelta(hours=n)
        check = CheckCompleted(
            request_id=f"{monitor}:tls:{n}",
            monitor_id=monitor,
            account_id=account,
            kind="tls",
            region="eu",
            target="https://example.com/",
            scheduled_for=at,
            started_at=at,
            finished_at=at,
            outcome="up" if valid else "down",
            error=None if valid else CheckError(kind=ErrorKind.EXPIRED, message="expired"),
            tls=TlsResult(
                valid=valid,
                expiry_date=at + timedelta(days=60),
                days_remaining=60,
                issuer="Test CA",
                sans=["example.com"],
            ),
        )
        return new_envelope(check, source="tests", subject=monitor, time=at)


@pytest.fixture
def event_factory() -> EventFactory:
    return EventFactory()
