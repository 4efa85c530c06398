"""The prober through the real broker: requests in, results (or skips, or dead letters) out."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from pulsecheck.prober.service import ProberService
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.prober.worker import result_event_id
from pulsecheck.shared.events import (
    CheckCompleted,
    CheckRequested,
    CheckSkipped,
    Envelope,
    decode,
    new_envelope,
)
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.check_requests import answer_http, http_check_request
from pulsecheck.testing.kafka import read_until

pytestmark = pytest.mark.kafka


async def committed_total(bootstrap: str, group: str, topic: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return sum(meta.offset for tp, meta in offsets.items() if tp.topic == topic)


def by_id_of(value: bytes | None) -> str:
    decoded = decode(value)
    assert isinstance(decoded, Envelope)
    return decoded.id


async def http_get(port: int, path: str) -> tuple[int, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    raw = await reader.read()
    writer.close()
    head, _, body = raw.decode().partition("\r\n\r\n")
    return int(head.split(" ")[1]), body


async def test_requests_in_results_out(
    kafka_bootstrap: str, topics: Topics, fleet: Any, closed_port: int
) -> None:
    site = await fleet.start(answer_http)
    region = f"test-{uuid.uuid4().hex[:8]}"
    settings = ProberSettings(
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topics.prefix,
        region=region,
        target_allow_list="127.0.0.0/8",
        health_host="127.0.0.1",
        health_port=0,
        concurrency=20,
        use_uvloop=False,
        drain_seconds=5,
    )
    service = ProberService(settings)
    running = asyncio.create_task(service.run())
    try:
        base = f"http://127.0.0.1:{site.port}"
        slow = http_check_request("m-shared", f"{base}/silent", timeout=1.5)
        fast = http_check_request("m-shared", f"{base}/")
        refused = http_check_request("m-refused", f"http://127.0.0.1:{closed_port}/")
        late = http_check_request("m-late", f"{base}/", late=True)
        wrong_type = new_envelope(
            CheckSkipped(
                request_id="x", monitor_id="m-x", account_id="a", kind="tcp", region="r",
                scheduled_for=datetime.now(UTC), deadline=datetime.now(UTC),
                skipped_at=datetime.now(UTC), reason="misrouted",
            ),
            source="test", subject="m-x",
        )  # fmt: skip
        producer = EventProducer.connect(kafka_bootstrap, "test-producer")
        await producer.start()
        try:
            await producer.publish_many(topics.checks_requested, [slow, fast, refused, late])
            await producer.raw.send_and_wait(
                topics.checks_requested, b"{not json", key=b"m-garbage"
            )
            await producer.publish(topics.checks_requested, wrong_type)
        finally:
            await producer.stop()

        results = await read_until(kafka_bootstrap, topics.checks_completed, 4)
        by_id = {}
        for partition, value in results:
            decoded = decode(value)
            assert isinstance(decoded, Envelope), decoded
            by_id[decoded.id] = (partition, decoded)
        sent = {"slow": slow, "fast": fast, "refused": refused, "late": late}
        ids = {
            name: result_event_id(
                (CheckSkipped if name == "late" else CheckCompleted).EVENT_TYPE,
                env.data.request_id,  # type: ignore[attr-defined]
                region,
            )
            for name, env in sent.items()
        }
        assert set(by_id) == set(ids.values())
        outcome = {name: by_id[event_id][1].data for name, event_id in ids.items()}
        assert isinstance(outcome["fast"], CheckCompleted) and outcome["fast"].outcome == "up"
        assert outcome["fast"].region == region
        assert isinstance(outcome["refused"], CheckCompleted)
        assert outcome["refused"].error is not None and outcome["refused"].error.kind == "refused"
        assert isinstance(outcome["slow"], CheckCompleted)
        assert outcome["slow"].error is not None and outcome["slow"].error.kind == "timeout"
        assert isinstance(outcome["late"], CheckSkipped) and "deadline" in outcome["late"].reason
        # one slow target does not hold back the next check of the same monitor (same partition)
        shared_partition = by_id[ids["fast"]][0]
        in_order = [by_id_of(v) for p, v in results if p == shared_partition]
        assert [i for i in in_order if i in (ids["fast"], ids["slow"])] == [
            ids["fast"],
            ids["slow"],
        ]

        letters = await read_until(kafka_bootstrap, topics.deadletter, 2)
        reasons = {json.loads(v or b"")["error_kind"]: json.loads(v or b"") for _, v in letters}
        assert set(reasons) == {"not_json", "wrong_topic"}
        assert reasons["not_json"]["original_key"] == "m-garbage"
        assert reasons["not_json"]["consumer"] == settings.consumer_group()

        assert service.health_port is not None
        status, health = await http_get(service.health_port, "/healthz")
        body = json.loads(health)
        assert (status, body["ok"], body["region"], body["lag"]) == (200, True, region, 0)
        # three checks completed and one skipped: a skip ratio of 0.25, above the default 0.2
        status, readiness = await http_get(service.health_port, "/readyz")
        body = json.loads(readiness)
        assert (status, body["skip_ratio"]) == (503, 0.25)
        assert body["problems"] == {"skip_ratio": "0.25 above 0.20"}
        status, metrics = await http_get(service.health_port, "/metrics")
        assert status == 200
        assert 'pulsecheck_prober_checks_total{kind="http",outcome="up"} 1.0' in metrics
        assert "pulsecheck_prober_checks_skipped_total 1.0" in metrics
        assert "pulsecheck_prober_dead_letters_total 2.0" in metrics

    finally:
        # a failed assertion must not leave the service running into the loop teardown
        service.request_stop()
        await asyncio.wait_for(running, timeout=15)
    group = settings.consumer_group()
    assert await committed_total(kafka_bootstrap, group, topics.checks_requested) == 6


async def test_one_accounts_hanging_targets_leave_another_accounts_checks_unskipped(
    kafka_bootstrap: str, topics: Topics, fleet: Any
) -> None:
    """The 200-hanging-monitors case at a reduced scale: 8 slots, 24 monitors of one account on
    a target that accepts and never answers, then 4 of another account on a healthy one."""
    hanging_now = 0
    hanging_most = 0

    async def never_answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal hanging_now, hanging_most
        hanging_now += 1
        hanging_most = max(hanging_most, hanging_now)
        try:
            while await reader.read(65536):
                pass
        finally:
            hanging_now -= 1

    hanging = await fleet.start(never_answers)
    healthy = await fleet.start(answer_http)
    region = f"test-{uuid.uuid4().hex[:8]}"
    settings = ProberSettings(
        kafka_bootstrap=kafka_bootstrap, topic_prefix=topics.prefix, region=region,
        target_allow_list="127.0.0.0/8", health_host="127.0.0.1", health_port=0,
        prober_concurrency=8, prober_account_share=0.25, use_uvloop=False, drain_seconds=1,
    )  # fmt: skip

    def for_account(account: str, monitor: str, target: str, deadline: float) -> Envelope:
        now = datetime.now(UTC)
        payload = CheckRequested(
            request_id=f"{monitor}:http:{now.isoformat()}", monitor_id=monitor,
            account_id=account, kind="http", target=target, timeout_seconds=4,
            scheduled_for=now, deadline=now + timedelta(seconds=deadline),
        )  # fmt: skip
        return new_envelope(payload, source="test", subject=monitor)

    noisy = [
        for_account("noisy", f"n-{i}", f"http://127.0.0.1:{hanging.port}/", 20) for i in range(24)
    ]
    quiet = [
        for_account("quiet", f"q-{i}", f"http://127.0.0.1:{healthy.port}/", 3) for i in range(4)
    ]  # a deadline shorter than the noisy timeout: without shares, these would be skipped
    service = ProberService(settings)
    running = asyncio.create_task(service.run())
    try:
        producer = EventProducer.connect(kafka_bootstrap, "test-producer")
        await producer.start()
        try:
            await producer.publish_many(topics.checks_requested, noisy)
            await producer.publish_many(topics.checks_requested, quiet)
        finally:
            await producer.stop()
        # every request is answered (completed or skipped) well within one noisy timeout
        # round past the first: a prober without shares would still hold the quiet ones
        results = await read_until(kafka_bootstrap, topics.checks_completed, 28, within=25)
    finally:
        service.request_stop()
        await asyncio.wait_for(running, timeout=15)
    outcomes = {}
    for _partition, value in results:
        decoded = decode(value)
        assert isinstance(decoded, Envelope)
        outcomes[decoded.data.monitor_id] = decoded.data  # type: ignore[attr-defined]
    for i in range(4):
        quiet_result = outcomes[f"q-{i}"]
        assert isinstance(quiet_result, CheckCompleted) and quiet_result.outcome == "up"
    noisy_results = [outcomes[f"n-{i}"] for i in range(24)]
    over_share = [r for r in noisy_results if isinstance(r, CheckSkipped)]
    assert over_share and all("share of the prober" in r.reason for r in over_share)
    # two running and two waiting at most: the noisy account never held more than its share
    assert hanging_most <= 2
