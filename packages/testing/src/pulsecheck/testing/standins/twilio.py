"""Twilio's REST API as far as the notifier uses it: POST .../Accounts/{sid}/Messages.json."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs

from pulsecheck.testing.standins.recording_server import Received, RecordingServer, Reply

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC\w+)/Messages\.json$")


def twilio_reply(request: Received, index: int) -> Reply:
    match = MESSAGES_PATH.match(request.path)
    if not match or not request.headers.get("authorization", "").startswith("Basic "):
        return Reply(404, b'{"code": 20404, "message": "The requested resource was not found"}')
    form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
    if not form.get("To") or not form.get("Body"):
        return Reply(400, b'{"code": 21604, "message": "A \'To\' phone number is required."}')
    sid = "SM" + uuid.uuid4().hex
    now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    document = {
        "account_sid": match["sid"],
        "api_version": "2010-04-01",
        "body": form["Body"],
        "date_created": now,
        "date_sent": None,
        "date_updated": now,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": form.get("From"),
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "status": "queued",
        "subresource_uris": {
            "media": f"/2010-04-01/Accounts/{match['sid']}/Messages/{sid}/Media.json"
        },
        "to": form["To"],
        "uri": f"/2010-04-01/Accounts/{match['sid']}/Messages/{sid}.json",
    }
    return Reply(201, json.dumps(document).encode())


def twilio_standin() -> RecordingServer:
    return RecordingServer(twilio_reply)


def sms_bodies(server: RecordingServer) -> list[dict[str, str]]:
    """The form fields of every message the stand-in accepted or refused, in order."""
    return [
        {k: v[0] for k, v in parse_qs(r.body.decode()).items()}
        for r in list(server.received)
        if MESSAGES_PATH.match(r.path)
    ]
