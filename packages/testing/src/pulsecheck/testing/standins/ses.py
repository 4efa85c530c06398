"""Amazon SES v2 through moto in server mode on 127.0.0.1, and what it has 'sent'."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

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


SEND_EMAIL_PATH = "/v2/email/outbound-emails"


@dataclass(frozen=True)
class SesStandin:
    endpoint_url: str
    # messages already in moto's process-wide backend when this stand-in started
    baseline: int = 0
    # the SendEmail requests moto accepted, whole (moto keeps one body part of a message)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def sent(self) -> list[Any]:
        """Messages moto accepted since this stand-in started."""
        return _all_sent()[self.baseline :]

    def bodies(self) -> list[dict[str, str]]:
        """Every accepted message's parts by name ("Text", "Html"), in order."""
        return [
            {
                part: str(value["Data"])
                for part, value in request["Content"]["Simple"]["Body"].items()
            }
            for request in list(self.requests)
        ]


class _RecordingApp:
    """moto's WSGI app, keeping every SendEmail request it answers 200: moto itself stores only
    the HTML part of a message that has both, and a test reads the text part too."""

    def __init__(self, app: Any, into: list[dict[str, Any]]) -> None:
        self._app = app
        self._into = into

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != SEND_EMAIL_PATH or environ["REQUEST_METHOD"] != "POST":
            return self._app(environ, start_response)  # type: ignore[no-any-return]
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)

        def noting_status(status: str, headers: Any, *rest: Any) -> Any:
            if status.startswith("200"):
                self._into.append(json.loads(body))
            return start_response(status, headers, *rest)

        return self._app(environ, noting_status)  # type: ignore[no-any-return]


@contextmanager
def ses_standin() -> Iterator[SesStandin]:
    """Needs AWS_TEST_CREDENTIALS in this process's environment (moto checks the signature)."""
    requests: list[dict[str, Any]] = []
    app = _RecordingApp(DomainDispatcherApplication(create_backend_app), requests)
    # as moto's ThreadedMotoServer, with the recording app in front
    server = make_server(
        "127.0.0.1", free_port(), app, threaded=True, request_handler=MotoRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_port}"
    try:
        client = boto3.client("sesv2", region_name=REGION, endpoint_url=endpoint)
        # SES refuses to send from an unverified identity; moto verifies on creation
        client.create_email_identity(EmailIdentity=SENDER)
        yield SesStandin(endpoint, baseline=len(_all_sent()), requests=requests)
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture
def aws_test_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials: boto3 signs requests for the local moto server with these."""
    for name, value in AWS_TEST_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
