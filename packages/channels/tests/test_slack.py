"""Slack through slack-sdk's WebhookClient against a local incoming-webhook stand-in."""

from __future__ import annotations

import json

from standins.alerts import channel, context_for, opened_notice
from standins.results import T0
from standins.slack_hook import slack_standin, slack_texts

from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.notifier.channels.slack import SlackChannel
from pulsecheck.shared.target_safety import AllowList

LOCAL = TargetGuard(AllowList.from_entries(["127.0.0.1/32"]))


def test_render_links_to_the_monitor_page() -> None:
    message = SlackChannel(LOCAL).render(
        context_for(opened_notice()), channel("slack", "http://127.0.0.1/hook"), T0
    )
    button = message.body["blocks"][2]["elements"][0]
    assert button["url"] == "http://127.0.0.1:8000/monitors/mon-1"
    assert message.text.startswith("DOWN: Shop is down since")


async def test_send_posts_text_and_blocks() -> None:
    with slack_standin() as hook:
        slack = SlackChannel(LOCAL, timeout_seconds=2)
        message = slack.render(
            context_for(opened_notice()), channel("slack", hook.url + "/T/B/x"), T0
        )
        result = await slack.send(message)
        assert result.ok
        assert slack_texts(hook) == [message.text]
        assert json.loads(hook.received[0].body)["blocks"][0]["type"] == "section"


async def test_server_error_is_retryable_and_bad_request_is_not() -> None:
    with slack_standin() as hook:
        slack = SlackChannel(LOCAL, timeout_seconds=2)
        message = slack.render(context_for(opened_notice()), channel("slack", hook.url), T0)
        hook.fail_next(1, 503)
        first = await slack.send(message)
        hook.fail_next(1, 404)
        second = await slack.send(message)
    assert (first.ok, first.retryable) == (False, True)
    assert (second.ok, second.retryable) == (False, False)


async def test_private_targets_are_refused_without_an_allow_list() -> None:
    slack = SlackChannel(TargetGuard())
    message = slack.render(context_for(opened_notice()), channel("slack", "http://127.0.0.1/x"), T0)
    result = await slack.send(message)
    assert not result.ok and not result.retryable
    assert result.error is not None and "refused" in result.error
