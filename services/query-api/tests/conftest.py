"""Fixtures of the query-api tests: the read-model fixtures (a fresh migrated database per run,
an app, tenants, the real projector to fill the read model the API serves); `settings` is the
API's."""

from __future__ import annotations

import pytest

from pulsecheck.query_api.settings import QueryApiSettings

# pytest finds fixtures by name in a conftest; the list is read_model_fixtures.__all__
from pulsecheck.testing.read_model_fixtures import *  # noqa: F403


@pytest.fixture
def settings(api_settings: QueryApiSettings) -> QueryApiSettings:
    return api_settings
