"""Channel test setup: the notifier's stand-ins (moving to pulsecheck.testing) and AWS test keys."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# until the stand-ins land in pulsecheck.testing: import them as `standins`
_STANDINS_PARENT = str(Path(__file__).resolve().parents[3] / "services" / "notifier" / "tests")
if _STANDINS_PARENT not in sys.path:
    sys.path.insert(0, _STANDINS_PARENT)


@pytest.fixture
def aws_test_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials: boto3 signs requests for the local moto server with these."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
