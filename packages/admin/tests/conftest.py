"""A fresh migrated database per test, named to the admin CLI by its variables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulsecheck.read_model.databases import create_database, drop_database
from pulsecheck.read_model.migrations.runner import upgrade


@pytest.fixture
def admin_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = create_database(database_url)
    upgrade(url)
    monkeypatch.setenv("PULSECHECK_DATABASE_URL", url)
    monkeypatch.setenv("PULSECHECK_PUBLIC_BASE_URL", "https://status.example/")
    yield url
    drop_database(database_url, url)


# the API's fixtures (pool, producer, tenants, settings) for delete-account, which runs its
# command layer; pytest finds fixtures by name in a conftest
from pulsecheck.testing.read_model_fixtures import *  # noqa: E402, F403
