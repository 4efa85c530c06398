"""Fixtures of the query-api tests: the read-model fixtures (a fresh migrated database per run,
an app, tenants, and the real projector to fill the read model the API serves) under this
suite's names."""

from __future__ import annotations

import pytest

from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.testing.read_model_fixtures import (
    alice,
    api_settings,
    bob,
    client,
    event_factory,
    eventually,
    leaders_ready,
    pool,
    producer,
    projector_settings,
    query_database_url,
    running_projector,
)

# imported so that pytest finds them in this conftest (see read_model_fixtures)
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
]


@pytest.fixture
def settings(api_settings: QueryApiSettings) -> QueryApiSettings:
    return api_settings
