"""Fixtures of the read-model tests: an empty database per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulsecheck.read_model.databases import create_database, drop_database


@pytest.fixture
def scratch_database(database_url: str) -> Iterator[str]:
    """An empty database for one test, dropped afterwards."""
    url = create_database(database_url)
    yield url
    drop_database(database_url, url)
