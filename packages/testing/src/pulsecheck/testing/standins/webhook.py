"""A webhook receiver that checks PulseCheck's signature and timestamp, as a user's would."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from pulsecheck.testing.standins.recording_server import Received, RecordingServer, Reply

TOLERANCE_SECONDS = 300


def verified(request: Received, secret: str, now: float) -> bool:
    """As docs/webhooks.md tells receivers: any listed signature (two during a rotation's
    overlap) made with our secret, over the raw body, with a fresh timestamp."""
    timestamp = request.headers.get("x-pulsecheck-timestamp", "")
    given = request.headers.get("x-pulsecheck-signature", "")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256)
    wanted = "sha256=" + expected.hexdigest()
    return any(hmac.compare_digest(part.strip(), wanted) for part in given.split(","))


def webhook_receiver(secret: str) -> RecordingServer:
    def reply(request: Received, index: int) -> Reply:
        if not verified(request, secret, time.time()):
            return Reply(401, b'{"error":"bad signature"}')
        return Reply(204)

    return RecordingServer(reply)


def accepted_documents(server: RecordingServer, secret: str) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in list(server.received) if verified(r, secret, time.time())]
