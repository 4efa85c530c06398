"""Fixtures of the CLI tests: the read-model fixtures (a migrated database per run, the query
API's app in process, tenants), so the CLI is driven against the real API."""

from __future__ import annotations

# pytest finds fixtures by name in a conftest; the list is read_model_fixtures.__all__
from pulsecheck.testing.read_model_fixtures import *  # noqa: F403
