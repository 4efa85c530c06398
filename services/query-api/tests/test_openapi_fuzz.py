"""Schemathesis over the served OpenAPI: whatever it sends, the API never answers 5xx."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from pulsecheck.checks import ProbeOutcome
from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.api_keys import hash_api_key, new_api_key, visible_prefix
from pulsecheck.read_model.database_url import libpq_url
from pulsecheck.shared.events import CheckError, ErrorKind
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.resolvers import TableResolver
from pulsecheck.testing.sealing_keys import run_keys
from pulsecheck.testing.served_apps import served_on_loopback

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

EXAMPLES_PER_OPERATION = 15


async def _refuse_every_target(url: str) -> ProbeOutcome:
    """GET /check-ssl under fuzzing: a generated URL such as "https://16777216/" is a public
    address, so the fuzzed app may not look anything up nor connect anywhere."""
    return ProbeOutcome(error=CheckError(kind=ErrorKind.BLOCKED_TARGET, message=f"{url} refused"))


def _api_key(database_url: str) -> str:
    key = new_api_key()
    with psycopg.connect(libpq_url(database_url)) as conn:
        row = conn.execute("INSERT INTO accounts (name) VALUES ('fuzz') RETURNING id").fetchone()
        assert row is not None
        conn.execute(
            "INSERT INTO api_keys (account_id, key_hash, key_prefix) VALUES (%s, %s, %s)",
            (row[0], hash_api_key(key), visible_prefix(key)),
        )
    return key


@pytest.fixture(scope="module")
def served_api(query_database_url: str, kafka_bootstrap: str) -> Iterator[tuple[str, str]]:
    """The real app behind uvicorn on 127.0.0.1, with its own pool and producer."""
    topics = Topics(prefix=f"t{uuid.uuid4().hex[:10]}.")
    asyncio.run(ensure_topics(kafka_bootstrap, topics.specs(), partitions=3))
    keys = run_keys()
    app_settings = QueryApiSettings(
        sealing_public_keys=keys.channel_public,
        header_sealing_public_keys=keys.header_public,
        database_url=query_database_url,
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topics.prefix,
        db_pool_min_size=1,
        db_pool_max_size=4,
    )
    app = create_app(
        app_settings,
        tls_probe=_refuse_every_target,
        # under fuzzing a channel URL's host name is never looked up
        channel_guard=TargetGuard(resolver=TableResolver({})),
    )
    with served_on_loopback(app) as base:
        assert httpx.get(f"{base}/healthz").status_code == 200
        yield base, _api_key(query_database_url)


def test_no_input_makes_a_server_error(served_api: tuple[str, str]) -> None:
    base, key = served_api
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    headers = {"Authorization": f"Bearer {key}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def no_server_error(case: Any) -> None:
            case.call_and_validate(base_url=base, headers=headers, checks=[not_a_server_error])

        no_server_error()
    metrics = httpx.get(f"{base}/metrics").text
    served = sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("pulsecheck_api_request_seconds_count")
    )
    assert served >= 5 * len(operations), metrics
