"""Fixtures of the projector tests: the read-model fixtures (a fresh migrated database per run,
the live projector, the query API that serves what it projected) under this suite's names."""

from __future__ import annotations

import pytest

from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.testing.read_model_fixtures import (
    alice,
    api_settings,
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
def settings(projector_settings: ProjectorSettings) -> ProjectorSettings:
    return projector_settings
