"""Fixtures of the projector tests: the read-model fixtures (a fresh migrated database per run,
the live projector, the query API that serves what it projected); `settings` is the projector's."""

from __future__ import annotations

import pytest

from pulsecheck.projector.settings import ProjectorSettings

# pytest finds fixtures by name in a conftest; the list is read_model_fixtures.__all__
from pulsecheck.testing.read_model_fixtures import *  # noqa: F403


@pytest.fixture
def settings(projector_settings: ProjectorSettings) -> ProjectorSettings:
    return projector_settings
