"""A broker with SASL/SCRAM and ACLs (`scripts/infra` with PULSECHECK_KAFKA_SASL=1): who gets in,
what each service principal may touch, and the prober, the scheduler and the notifier at work
with their own users' credentials only. A private broker, started once for the module (the
shared one stays plaintext); its tests share its topics, so each looks at its own monitors."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from aiokafka import ConsumerRecord
from aiokafka.conn import create_conn
from aiokafka.errors import (
    KafkaConnectionError,
    SaslAuthenticationFailed,
    TopicAuthorizationFailedError,
)

from pulsecheck.prober.service import ProberService
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.scheduler.main import probes_of, wall_clock_ms
from pulsecheck.scheduler.service import Scheduler
from pulsecheck.scheduler.settings import SchedulerSettings
from pulsecheck.shared.events import (
    CheckCompleted,
    CheckRequested,
    Envelope,
    HeartbeatPinged,
    MonitorRegistered,
    decode,
    new_envelope,
)
from pulsecheck.shared.events.common import Contract
from pulsecheck.shared.health import Probe
from pulsecheck.shared.kafka.acls import SERVICE_USERS
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.kafka.cluster import cluster_view
from pulsecheck.shared.kafka.consumer import build_consumer
from pulsecheck.shared.kafka.producer import EventProducer, build_producer
from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.alerts import channel
from pulsecheck.testing.kafka import read_all, reading_in_background
from pulsecheck.testing.notifier_process import NotifierProcess
from pulsecheck.testing.private_infra import PrivateInfra, private_kafka
from pulsecheck.testing.results import uptime_result
from pulsecheck.testing.standins.recording_server import RecordingServer
from pulsecheck.testing.standins.webhook import accepted_documents, webhook_receiver
from pulsecheck.testing.waiting import wait_until

pytestmark = pytest.mark.kafka

# scripts/infra applies the ACLs of the unprefixed topics; the broker is this module's alone
TOPICS = Topics()
PARTITIONS = 2
PROBER = SERVICE_USERS["prober"]
PROJECTOR = SERVICE_USERS["projector"]
ACCOUNT = "acct-sasl"
HOOK_SECRET = "sasl-hook-secret"
T = TypeVar("T")


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateInfra]:
    with private_kafka(Path(tmp_path_factory.mktemp("sasl")), sasl=True) as infra:
        yield infra


@pytest.fixture(scope="module")
def topics_made(broker: PrivateInfra) -> None:
    # made by the topics-init principal: its ACLs are enough to create every topic
    security = broker.kafka_security(SERVICE_USERS["topics"])
    asyncio.run(
        ensure_topics(broker.kafka_bootstrap, TOPICS.specs(), PARTITIONS, security=security)
    )


async def test_a_client_without_credentials_is_refused(broker: PrivateInfra) -> None:
    producer = build_producer(broker.kafka_bootstrap, "anonymous", security=PLAINTEXT)
    try:
        with pytest.raises(KafkaConnectionError):
            await producer.start()
    finally:
        await producer.stop()


async def test_a_wrong_password_is_refused_by_authentication(broker: PrivateInfra) -> None:
    wrong = broker.kafka_security(PROBER, password="not-the-password")
    with pytest.raises(SaslAuthenticationFailed):
        await create_conn("127.0.0.1", broker.kafka_port, **wrong.client_kwargs())
    right = await create_conn(
        "127.0.0.1", broker.kafka_port, **broker.kafka_security(PROBER).client_kwargs()
    )
    right.close()


@pytest.mark.usefixtures("topics_made")
async def test_a_service_reading_a_topic_it_does_not_own_is_refused(broker: PrivateInfra) -> None:
    # the prober has no business with monitors (their targets, headers and owners)
    consumer = build_consumer(
        broker.kafka_bootstrap,
        "prober-snooping",
        group_id="pulsecheck-prober-snooping",
        topics=[TOPICS.monitors],
        security=broker.kafka_security(PROBER),
    )
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            await consumer.start()
            await consumer.getmany(timeout_ms=5_000)
    finally:
        await consumer.stop()


@pytest.mark.usefixtures("topics_made")
async def test_readiness_hears_of_a_topic_refused_to_the_principal(broker: PrivateInfra) -> None:
    # a service whose ACLs lack a topic it reads must not call itself ready
    view = await cluster_view(
        broker.kafka_bootstrap,
        [TOPICS.checks_requested, TOPICS.monitors, "no.such.topic"],
        security=broker.kafka_security(PROBER),
    )
    assert view.partitions == {TOPICS.checks_requested: PARTITIONS}
    assert view.refused[TOPICS.monitors] == "TopicAuthorizationFailedError"
    assert set(view.refused) == {TOPICS.monitors, "no.such.topic"}
    assert TOPICS.monitors in view.refusals()["topics"]


@pytest.mark.usefixtures("topics_made")
async def test_a_service_writing_a_topic_it_does_not_own_is_refused(broker: PrivateInfra) -> None:
    producer = build_producer(
        broker.kafka_bootstrap, "prober-forging", security=broker.kafka_security(PROBER)
    )
    await producer.start()
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            await producer.send_and_wait(TOPICS.alerts, b"{}", key=b"m-1")
    finally:
        await producer.stop()


def check_request(target: str) -> Envelope:
    now = datetime.now(UTC)
    monitor_id = f"m-{uuid.uuid4().hex[:8]}"
    request = CheckRequested(
        request_id=f"{monitor_id}:http:{now.isoformat()}",
        monitor_id=monitor_id,
        account_id="acct",
        kind="http",
        target=target,
        timeout_seconds=5,
        scheduled_for=now,
        deadline=now + timedelta(minutes=1),
    )
    return new_envelope(request, source="test", subject=monitor_id)


async def answer_ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    await writer.drain()
    writer.close()


async def first_completed(
    bootstrap: str, security: KafkaSecurity, monitor_id: str, within: float
) -> CheckCompleted:
    # read as the projector: its principal, its group
    consumer = build_consumer(
        bootstrap,
        "projector-reading",
        group_id="pulsecheck-projector",
        topics=[TOPICS.checks_completed],
        security=security,
    )
    await consumer.start()
    try:
        async with asyncio.timeout(within):
            while True:
                batch = await consumer.getmany(timeout_ms=500)
                for record in (r for records in batch.values() for r in records):
                    decoded = decode(record.value)
                    data = getattr(decoded, "data", None)
                    if isinstance(data, CheckCompleted) and data.monitor_id == monitor_id:
                        return data
    finally:
        await consumer.stop()


@pytest.mark.usefixtures("topics_made")
async def test_the_prober_runs_end_to_end_on_its_own_principal(broker: PrivateInfra) -> None:
    """query-api's principal asks, the prober service (its principal, its region's group)
    checks a local site, the projector's principal reads the result."""
    site = await asyncio.start_server(answer_ok, "127.0.0.1", 0)
    port = site.sockets[0].getsockname()[1]
    settings = ProberSettings(
        **broker.kafka_settings(PROBER),
        region="sasl-test",
        target_allow_list="127.0.0.0/8",
        health_port=0,
        use_uvloop=False,
        drain_seconds=2,
    )
    service = ProberService(settings)
    running = asyncio.create_task(service.run())
    api = EventProducer.connect(
        broker.kafka_bootstrap, "query-api", broker.kafka_security(SERVICE_USERS["query-api"])
    )
    await api.start()
    try:
        request = check_request(f"http://127.0.0.1:{port}/")
        await api.publish(TOPICS.checks_requested, request)
        completed = await first_completed(
            broker.kafka_bootstrap,
            broker.kafka_security(SERVICE_USERS["projector"]),
            request.subject,
            within=60,
        )
        assert completed.outcome == "up" and completed.region == "sasl-test"
    finally:
        await api.stop()
        service.request_stop()
        await asyncio.wait_for(running, 30)
        site.close()


def registered(monitor_id: str, **spec: object) -> Envelope:
    monitor = MonitorRegistered.model_validate(
        {"monitor_id": monitor_id, "account_id": ACCOUNT, "name": monitor_id, **spec}
    )
    return envelope(monitor, monitor_id)


def failed_ping(monitor_id: str) -> Envelope:
    ping = HeartbeatPinged(
        ping_id=str(uuid.uuid4()),
        monitor_id=monitor_id,
        account_id=ACCOUNT,
        signal="fail",
        pinged_at=datetime.now(UTC),
    )
    return envelope(ping, monitor_id)


@asynccontextmanager
async def publishing_as(broker: PrivateInfra, service: str) -> AsyncIterator[EventProducer]:
    producer = EventProducer.connect(
        broker.kafka_bootstrap, service, broker.kafka_security(SERVICE_USERS[service])
    )
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


def collecting(found: list[object]) -> Callable[[list[ConsumerRecord]], None]:
    def collect(records: list[ConsumerRecord]) -> None:
        found.extend(getattr(decode(record.value), "data", None) for record in records)

    return collect


def of_monitor(found: list[object], kind: type[T], monitor_id: str) -> list[T]:
    return [
        e for e in found if isinstance(e, kind) and getattr(e, "monitor_id", None) == monitor_id
    ]


@pytest.mark.usefixtures("topics_made")
async def test_the_scheduler_runs_on_its_own_principal(broker: PrivateInfra) -> None:
    """query-api's principal registers a site and a heartbeat and sends a failing ping; the
    scheduler (its principal, group and transactional ids) becomes ready, requests the site's
    checks and judges the ping; the prober's principal reads the requests, the projector's the
    result."""
    site, job = f"m-{uuid.uuid4().hex[:8]}", f"hb-{uuid.uuid4().hex[:8]}"
    settings = SchedulerSettings(
        **broker.kafka_settings(SERVICE_USERS["scheduler"]),
        min_interval_seconds=1,
        tick_ms=50,
        idle_checkpoint_seconds=1,
        health_port=0,
    )
    scheduler = Scheduler(settings, wall_clock_ms)
    requested: list[object] = []
    completed: list[object] = []
    bootstrap = broker.kafka_bootstrap
    as_prober, as_projector = broker.kafka_security(PROBER), broker.kafka_security(PROJECTOR)
    async with (
        publishing_as(broker, "query-api") as api,
        reading_in_background(
            bootstrap, TOPICS.checks_requested, collecting(requested), security=as_prober
        ),
        reading_in_background(
            bootstrap, TOPICS.checks_completed, collecting(completed), security=as_projector
        ),
    ):
        await scheduler.start()
        try:
            every_second = registered(site, url="https://shop.test/", interval_seconds=1)
            await api.publish(TOPICS.monitors, every_second)
            hourly = {"period_seconds": 3600, "grace_seconds": 60}
            heartbeat = registered(job, url=f"heartbeat://{job}", heartbeat=hourly)
            await api.publish(TOPICS.monitors, heartbeat)
            # the probe the health port serves: the group, its partitions and the clocks
            readiness = probes_of(scheduler).probes()[1]
            await wait_until(readiness_ok(readiness), what="a ready scheduler")
            await wait_until(
                lambda: of_monitor(requested, CheckRequested, site), what=f"checks of {site}"
            )
            await api.publish(TOPICS.heartbeats, failed_ping(job))
            judged = await wait_until(
                lambda: of_monitor(completed, CheckCompleted, job), what=f"{job}'s ping judged"
            )
        finally:
            await scheduler.stop()
    assert [(c.outcome, c.heartbeat and c.heartbeat.signal) for c in judged] == [("down", "fail")]


def readiness_ok(readiness: Probe) -> Callable[[], Awaitable[bool]]:
    async def ready() -> bool:
        ok, details = await readiness()
        assert ok, details
        return True

    return ready


@pytest.mark.usefixtures("topics_made")
async def test_the_notifier_runs_end_to_end_on_its_own_principal(
    broker: PrivateInfra, tmp_path: Path
) -> None:
    """query-api's principal configures a webhook channel and a monitor, the prober's publishes
    its failing results; the notifier process (its principal, its faust group and internal
    topics) becomes ready and alerts the webhook on 127.0.0.1; the projector's principal reads
    the incident and the delivery on the alerts topic."""
    monitor_id = f"m-{uuid.uuid4().hex[:8]}"
    with webhook_receiver(HOOK_SECRET) as hook:
        configured = channel(
            "webhook", hook.url + "/hook", channel_id=f"ch-{monitor_id}", secret=HOOK_SECRET,
            account_id=ACCOUNT,
        )  # fmt: skip
        rules = {"failures_before_incident": 2}
        async with publishing_as(broker, "query-api") as api:
            await api.publish(TOPICS.channels, envelope(configured, configured.channel_id))
            shop = registered(monitor_id, url="https://shop.test/", alert_rules=rules)
            await api.publish(TOPICS.monitors, shop)
        async with publishing_as(broker, "prober") as prober:
            for step in range(2):
                down = uptime_result(monitor_id, step, "down", account_id=ACCOUNT)
                await prober.publish(TOPICS.checks_completed, envelope(down, monitor_id))
        env = broker.kafka_env(SERVICE_USERS["notifier"]) | {
            # as many partitions as `topics_made` gave every topic: faust's tables follow them
            "PULSECHECK_PARTITIONS": str(PARTITIONS),
            "PULSECHECK_DATA_DIR": str(tmp_path / "notifier"),
            "PULSECHECK_TARGET_ALLOW_LIST": "127.0.0.1/32",
            "PULSECHECK_RECIPIENT_HASH_KEY": "sasl-recipient-key",
        }
        notifier = NotifierProcess(env, tmp_path / "notifier.log").start()
        try:
            await wait_until(lambda: notifier.status("/readyz") == 200, what="a ready notifier")
            await wait_until(
                lambda: told_by_webhook(hook, monitor_id) == ["opened"],
                what=f"the webhook told of {monitor_id}'s incident",
            )
        finally:
            assert notifier.stop() == 0, (tmp_path / "notifier.log").read_text()[-3000:]
    alerts = await read_all(
        broker.kafka_bootstrap, TOPICS.alerts, security=broker.kafka_security(PROJECTOR)
    )
    told = [type(e.data).__name__ for e in alerts if e.subject == monitor_id]
    assert told == ["IncidentOpened", "NotificationSent"]


def told_by_webhook(hook: RecordingServer, monitor_id: str) -> list[str]:
    documents = accepted_documents(hook, HOOK_SECRET)
    return [d["transition"] for d in documents if d["monitor"]["id"] == monitor_id]


def envelope(payload: Contract, subject: str) -> Envelope:
    return new_envelope(payload, source="tests", subject=subject)
