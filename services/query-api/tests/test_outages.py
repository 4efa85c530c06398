"""PostgreSQL or the broker stops under load: answers are 2xx or 503 (never 500), reads keep
working while the broker is away, the projector stays alive and catches up, nothing is lost.

The outages are of a private Kafka + PostgreSQL pair (`private_infra`), never the shared one.
PostgreSQL is stopped for 10 s rather than the 30 s of the report: the pool gives up after
2 s here, so 10 s is five pool timeouts, enough to see every request of the outage answer, at
a third of the suite time.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.projector.health import ProjectorProbes
from pulsecheck.projector.main import project
from pulsecheck.projector.metrics import ProjectorMetrics
from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.databases import create_database
from pulsecheck.read_model.migrations.runner import upgrade
from pulsecheck.read_model.storage.accounts import create_account
from pulsecheck.read_model.storage.connection import Pool, build_pool
from pulsecheck.shared.events import MonitorRegistered
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.check_events import EventFactory
from pulsecheck.testing.kafka import leaders_elected, read_all
from pulsecheck.testing.private_infra import PrivateInfra, private_infra
from pulsecheck.testing.resolvers import TableResolver
from pulsecheck.testing.sealing_keys import run_keys
from pulsecheck.testing.waiting import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

POSTGRES_OUTAGE_SECONDS = 10.0
POOL_TIMEOUT_SECONDS = 2.0
PUBLISH_TIMEOUT_SECONDS = 3.0
# a POST's answer may also wait for the pool (checks before, the write after the publish)
ANSWER_MARGIN_SECONDS = 3.0
MAX_ROUNDS = 200
RECOVERY_SECONDS = 90.0


@pytest.fixture(scope="module")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateInfra]:
    with private_infra(Path(tmp_path_factory.mktemp("outages"))) as pair:
        yield pair


@dataclass
class Stack:
    infra: PrivateInfra
    topics: Topics
    pool: Pool
    client: httpx.AsyncClient
    headers: dict[str, str]
    account_id: uuid.UUID
    projecting: asyncio.Task[None]

    async def round(self, n: int) -> list[int]:
        """One POST of a new site and one read, at the same time: their status codes."""
        site = {"name": f"site {n}", "url": f"https://s{uuid.uuid4().hex[:12]}.example.com/"}
        post, read = await asyncio.gather(
            self.client.post("/websites", json=site, headers=self.headers),
            self.client.get("/websites", headers=self.headers),
        )
        return [post.status_code, read.status_code]

    async def registered_ids(self) -> set[str]:
        events = await read_all(self.infra.kafka_bootstrap, self.topics.monitors, within=60)
        return {e.data.monitor_id for e in events if isinstance(e.data, MonitorRegistered)}

    async def row_ids(self) -> set[str]:
        async with self.pool.connection() as conn:
            cursor = await conn.execute(
                "SELECT id FROM monitors WHERE account_id = %s", (self.account_id,)
            )
            return {str(row["id"]) for row in await cursor.fetchall()}

    async def rows_equal_the_topic(self) -> bool:
        try:
            return await self.registered_ids() == await self.row_ids()
        except Exception:  # still recovering
            return False


@pytest.fixture
async def stack(infra: PrivateInfra) -> AsyncIterator[Stack]:
    url = create_database(infra.database_url)
    upgrade(url)
    topics = Topics(prefix=f"o{uuid.uuid4().hex[:8]}.")
    await ensure_topics(infra.kafka_bootstrap, topics.specs(), partitions=3)
    await wait_until(
        lambda: leaders_elected(infra.kafka_bootstrap, [s.name for s in topics.specs()]), within=60
    )
    keys = run_keys()
    settings = QueryApiSettings(
        sealing_public_keys=keys.channel_public,
        header_sealing_public_keys=keys.header_public,
        database_url=url,
        kafka_bootstrap=infra.kafka_bootstrap,
        topic_prefix=topics.prefix,
        db_pool_timeout_seconds=POOL_TIMEOUT_SECONDS,
        publish_timeout_seconds=PUBLISH_TIMEOUT_SECONDS,
    )
    pool = build_pool(url, 1, 4, timeout=POOL_TIMEOUT_SECONDS)
    await pool.open(wait=True)
    producer = EventProducer.connect(infra.kafka_bootstrap, "outage-tests")
    await producer.start()
    guard = TargetGuard(settings.allow_list(), TableResolver())
    app = create_app(settings, pool=pool, producer=producer, channel_guard=guard)
    stop = asyncio.Event()
    projector_settings = ProjectorSettings(
        database_url=url,
        kafka_bootstrap=infra.kafka_bootstrap,
        topic_prefix=topics.prefix,
        projector_batch_wait_ms=50,
        raw_retention_days=36_500,
    )
    probes = ProjectorProbes(url)
    projecting = asyncio.create_task(project(projector_settings, stop, ProjectorMetrics(), probes))
    # the probes learn the projector's consumer once it has subscribed
    await wait_until(lambda: probes.watch is not None, within=60, what="the projector running")
    async with pool.connection() as conn:
        account = await create_account(conn, "outages")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Stack(
            infra, topics, pool, client,
            {"Authorization": f"Bearer {account.api_key}"}, account.account_id, projecting,
        )  # fmt: skip
    stop.set()
    await asyncio.wait_for(projecting, 60)
    await producer.stop()
    await pool.close()


def _outage_answers(statuses: list[int]) -> list[int]:
    return [s for s in statuses if not (200 <= s < 300 or s == 503)]


async def test_postgres_stopped_under_load_is_503s_and_nothing_is_lost(stack: Stack) -> None:
    assert set(await stack.round(0)) <= {200, 201}
    factory = EventFactory()
    monitor, account = str(uuid.uuid4()), str(stack.account_id)
    results = [factory.uptime(monitor, account, n) for n in range(1, 41)]
    producer = EventProducer.connect(stack.infra.kafka_bootstrap, "outage-results")
    await producer.start()
    try:
        await asyncio.to_thread(stack.infra.stop_postgres)
        stopped = time.monotonic()
        # results arrive while PostgreSQL is away: the projector must write them afterwards
        await producer.publish_many(stack.topics.checks_completed, results)
        statuses: list[int] = []
        rounds = 0
        while time.monotonic() - stopped < POSTGRES_OUTAGE_SECONDS and rounds < MAX_ROUNDS:
            rounds += 1
            statuses += await stack.round(rounds)
        await asyncio.to_thread(stack.infra.start_postgres)
    finally:
        await producer.stop()
    assert _outage_answers(statuses) == []
    assert 503 in statuses

    async def answered_again() -> bool:
        return set(await stack.round(MAX_ROUNDS + 1)) <= {200, 201}

    await wait_until(answered_again, within=RECOVERY_SECONDS, what="2xx after the outage")
    assert not stack.projecting.done()

    async def results_written() -> bool:
        async with stack.pool.connection() as conn:
            cursor = await conn.execute(
                "SELECT count(*) AS n FROM uptime_results WHERE monitor_id = %s", (monitor,)
            )
            row = await cursor.fetchone()
        return row is not None and row["n"] == len(results)

    await wait_until(results_written, within=RECOVERY_SECONDS, what="results projected once")
    await wait_until(stack.rows_equal_the_topic, within=RECOVERY_SECONDS, what="rows = topic")
    assert not stack.projecting.done()


async def test_broker_stopped_posts_are_quick_503s_and_reads_answer(stack: Stack) -> None:
    assert set(await stack.round(0)) <= {200, 201}
    await asyncio.to_thread(stack.infra.stop_kafka)
    try:
        posts_done = asyncio.Event()
        reads: list[int] = []

        async def read_meanwhile() -> None:
            while not posts_done.is_set() and len(reads) < MAX_ROUNDS:
                reads.append(
                    (await stack.client.get("/websites", headers=stack.headers)).status_code
                )

        async def timed_post(n: int) -> tuple[int, float]:
            site = {"name": f"post {n}", "url": f"https://p{uuid.uuid4().hex[:12]}.example.com/"}
            began = time.monotonic()
            answer = await stack.client.post("/websites", json=site, headers=stack.headers)
            return answer.status_code, time.monotonic() - began

        reading = asyncio.create_task(read_meanwhile())
        posts = await asyncio.gather(*(timed_post(n) for n in range(12)))
        posts_done.set()
        await reading
    finally:
        await asyncio.to_thread(stack.infra.start_kafka)
    assert [status for status, _ in posts] == [503] * 12
    assert max(took for _, took in posts) < PUBLISH_TIMEOUT_SECONDS + ANSWER_MARGIN_SECONDS
    assert reads and set(reads) == {200}

    async def created_again() -> bool:
        return set(await stack.round(MAX_ROUNDS + 1)) <= {200, 201}

    await wait_until(created_again, within=RECOVERY_SECONDS, what="201 after the outage")
    assert not stack.projecting.done()
    # a 503 publish may still land when the broker returns: then its row is projected too
    await wait_until(stack.rows_equal_the_topic, within=RECOVERY_SECONDS, what="rows = topic")
