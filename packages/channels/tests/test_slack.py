"""Slack through httpx on the vetted transport against a local incoming-webhook stand-in."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pulsecheck.channels.slack.channel import SlackChannel
from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.checks.vetted_transport import vetted_client
from pulsecheck.shared.target_safety import AllowList
from pulsecheck.testing.alerts import channel, context_for, opened_notice
from pulsecheck.testing.results import T0
from pulsecheck.testing.standins.slack import slack_standin, slack_texts

LOCAL = TargetGuard(AllowList.from_entries(["127.0.0.1/32", "127.0.0.2/32"]))
INTERNAL_BODY = b"internal-only: db password hunter2"


def test_render_links_to_the_monitor_page() -> None:
    message = SlackChannel(vetted_client(LOCAL, 2)).render(
        context_for(opened_notice()), channel("slack", "http://127.0.0.1/hook"), T0
    )
    button = message.body["blocks"][2]["elements"][0]
    assert button["url"] == "http://127.0.0.1:8000/monitors/mon-1"
    assert message.text.startswith("DOWN: Shop is down since")


async def test_send_posts_text_and_blocks() -> None:
    with slack_standin() as hook:
        async with vetted_client(LOCAL, 2) as client:
            slack = SlackChannel(client)
            message = slack.render(
                context_for(opened_notice()), channel("slack", hook.url + "/T/B/x"), T0
            )
            result = await slack.send(message)
        assert result.ok
        assert slack_texts(hook) == [message.text]
        assert json.loads(hook.received[0].body)["blocks"][0]["type"] == "section"


async def test_server_error_is_retryable_and_bad_request_is_not() -> None:
    with slack_standin() as hook:
        async with vetted_client(LOCAL, 2) as client:
            slack = SlackChannel(client)
            message = slack.render(context_for(opened_notice()), channel("slack", hook.url), T0)
            hook.fail_next(1, 503)
            first = await slack.send(message)
            hook.fail_next(1, 404)
            second = await slack.send(message)
    assert (first.ok, first.retryable) == (False, True)
    assert (second.ok, second.retryable) == (False, False)


async def test_private_targets_are_refused_without_an_allow_list() -> None:
    async with vetted_client(TargetGuard(), 2) as client:
        slack = SlackChannel(client)
        target = channel("slack", "http://127.0.0.1/x")
        result = await slack.send(slack.render(context_for(opened_notice()), target, T0))
    assert not result.ok and not result.retryable
    assert result.error is not None and "not allowed" in result.error
    assert "127.0.0.1" not in result.error


@contextmanager
def listener(host: str) -> Iterator[socket.socket]:
    """A bare listening socket: anything that connects to it is seen by `accept`."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        sock.listen()
        sock.settimeout(0.3)
        yield sock


@contextmanager
def redirecting_hook(location: str) -> Iterator[str]:
    """A Slack stand-in that answers 302 to `location`, with a body that must go nowhere."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", str(len(INTERNAL_BODY)))
            self.end_headers()
            self.wfile.write(INTERNAL_BODY)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/services/T/B/x"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_redirect_is_not_followed_and_its_body_not_reported() -> None:
    with listener("127.0.0.2") as second:
        port = second.getsockname()[1]
        with redirecting_hook(f"http://127.0.0.2:{port}/internal") as url:
            async with vetted_client(LOCAL, 2) as client:
                slack = SlackChannel(client)
                message = slack.render(context_for(opened_notice()), channel("slack", url), T0)
                result = await slack.send(message)
        try:
            second.accept()[0].close()
            followed = True
        except TimeoutError:
            followed = False
    assert not followed
    assert (result.ok, result.retryable) == (False, False)
    assert result.error == "slack 302 (redirect not followed)"
    assert "hunter2" not in (result.error or "")
