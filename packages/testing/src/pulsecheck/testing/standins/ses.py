"""Amazon SES v2 through moto in server mode on 127.0.0.1, and what it has 'sent'."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from pulsecheck.testing.ports import free_port

SENDER = "alerts@pulsecheck.example.test"
REGION = "us-east-1"
ACCOUNT = "123456789012"
# boto3 signs its requests to the local moto server with these fake credentials
AWS_TEST_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


def _all_sent() -> list[Any]:
    # moto keeps one SES backend per process, shared by SES v1 and v2 and by every server
    from moto.ses.models import ses_backends

    return list(ses_backends[ACCOUNT][REGION].sent_messages)


@dataclass(frozen=True)
class SesStandin:
    endpoint_url: str
    # messages already in moto's process-wide backend when this stand-in started
    baseline: int = 0

    def sent(self) -> list[Any]:
        """Messages moto accepted since this stand-in started."""
        return _all_sent()[self.baseline :]


@contextmanager
def ses_standin() -> Iterator[SesStandin]:
    """Needs AWS_TEST_CREDENTIALS in this process's environment (moto checks the signature)."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client = boto3.client("sesv2", region_name=REGION, endpoint_url=endpoint)
        # SES refuses to send from an unverified identity; moto verifies on creation
        client.create_email_identity(EmailIdentity=SENDER)
        yield SesStandin(endpoint, baseline=len(_all_sent()))
    finally:
        server.stop()


@pytest.fixture
def aws_test_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials: boto3 signs requests for the local moto server with these."""
    for name, value in AWS_TEST_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
