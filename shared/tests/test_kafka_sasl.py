"""A broker with SASL/SCRAM and ACLs (`scripts/infra` with PULSECHECK_KAFKA_SASL=1): who gets in,
and what each service principal may touch. A private broker: the shared one stays plaintext."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiokafka.conn import create_conn
from aiokafka.errors import (
    KafkaConnectionError,
    SaslAuthenticationFailed,
    TopicAuthorizationFailedError,
)

from pulsecheck.prober.service import ProberService
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.shared.events import CheckCompleted, CheckRequested, Envelope, decode, new_envelope
from pulsecheck.shared.kafka.acls import SERVICE_USERS
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.kafka.consumer import build_consumer
from pulsecheck.shared.kafka.producer import EventProducer, build_producer
from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.private_infra import PrivateInfra, private_kafka

pytestmark = pytest.mark.kafka

# scripts/infra applies the ACLs of the unprefixed topics; the broker is this module's alone
TOPICS = Topics()
PROBER = SERVICE_USERS["prober"]


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateInfra]:
    with private_kafka(Path(tmp_path_factory.mktemp("sasl")), sasl=True) as infra:
        yield infra


@pytest.fixture(scope="module")
def topics_made(broker: PrivateInfra) -> None:
    # made by the topics-init principal: its ACLs are enough to create every topic
    security = broker.kafka_security(SERVICE_USERS["topics"])
    asyncio.run(ensure_topics(broker.kafka_bootstrap, TOPICS.specs(), 2, security=security))


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


async def first_completed(bootstrap: str, security: KafkaSecurity, within: float) -> CheckCompleted:
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
                    if isinstance(decoded, Envelope) and isinstance(decoded.data, CheckCompleted):
                        return decoded.data
    finally:
        await consumer.stop()


@pytest.mark.usefixtures("topics_made")
async def test_the_prober_runs_end_to_end_on_its_own_principal(broker: PrivateInfra) -> None:
    """query-api's principal asks, the prober service (its principal, its region's group)
    checks a local site, the projector's principal reads the result."""
    site = await asyncio.start_server(answer_ok, "127.0.0.1", 0)
    port = site.sockets[0].getsockname()[1]
    prober_password = broker.kafka_security(PROBER).password
    settings = ProberSettings(
        kafka_bootstrap=broker.kafka_bootstrap,
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_username=PROBER,
        kafka_password=prober_password,
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
            within=60,
        )
        assert completed.monitor_id == request.subject
        assert completed.outcome == "up" and completed.region == "sasl-test"
    finally:
        await api.stop()
        service.request_stop()
        await asyncio.wait_for(running, 30)
        site.close()
