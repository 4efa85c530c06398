"""A Slack incoming webhook: answers `ok` to a JSON body with text, as hooks.slack.com does."""

from __future__ import annotations

import json

from pulsecheck.testing.standins.recording_server import Received, RecordingServer, Reply


def slack_reply(request: Received, index: int) -> Reply:
    try:
        document = json.loads(request.body)
    except ValueError:
        return Reply(400, b"invalid_payload", "text/plain")
    if not isinstance(document, dict) or not (document.get("text") or document.get("blocks")):
        return Reply(400, b"no_text", "text/plain")
    return Reply(200, b"ok", "text/plain")


def slack_standin() -> RecordingServer:
    return RecordingServer(slack_reply)


def slack_texts(server: RecordingServer) -> list[str]:
    return [str(json.loads(r.body).get("text")) for r in list(server.received)]
