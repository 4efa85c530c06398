"""A fresh migrated database per test, named to the admin CLI by its variables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.databases import create_database, drop_database
from pulsecheck.read_model.migrations.runner import upgrade
from pulsecheck.shared.topics import Topics


@pytest.fixture
def admin_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = create_database(database_url)
    upgrade(url)
    monkeypatch.setenv("PULSECHECK_DATABASE_URL", url)
    monkeypatch.setenv("PULSECHECK_PUBLIC_BASE_URL", "https://status.example/")
    yield url
    drop_database(database_url, url)


@pytest.fixture
def admin_environment(
    api_settings: QueryApiSettings,
    kafka_bootstrap: str,
    topics: Topics,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The API's settings of the test, as the command reads them from its environment (it runs
    the API's own commands with a pool and producer of its own)."""
    environment = {
        "PULSECHECK_DATABASE_URL": api_settings.database_url,
        "PULSECHECK_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "PULSECHECK_TOPIC_PREFIX": topics.prefix,
        "PULSECHECK_SEALING_PUBLIC_KEYS": api_settings.sealing_public_keys,
        "PULSECHECK_HEADER_SEALING_PUBLIC_KEYS": api_settings.header_sealing_public_keys,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)


# the API's fixtures (pool, producer, tenants, settings) for the account commands, which run its
# command layer; pytest finds fixtures by name in a conftest
from pulsecheck.testing.read_model_fixtures import *  # noqa: E402, F403
