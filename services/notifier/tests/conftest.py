"""Notifier test setup: the fake AWS credentials the SES stand-in (moto) checks signatures with."""

from __future__ import annotations

import pytest

from pulsecheck.testing.standins.ses import AWS_TEST_CREDENTIALS


@pytest.fixture
def aws_test_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials: boto3 signs requests for the local moto server with these."""
    for name, value in AWS_TEST_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
