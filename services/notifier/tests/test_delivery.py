"""Retries with backoff: which failures are retried, how often, and what each attempt reports."""

from __future__ import annotations

from datetime import datetime

import pytest

from pulsecheck.channels.base import AlertContext, DeliveryResult, Message
from pulsecheck.channels.recipients import RecipientDigest
from pulsecheck.notifier.delivery import (
    RetryPolicy,
    attempt_event,
    backoff_delay,
    deliver_with_retries,
)
from pulsecheck.notifier.routing import delivery_requests
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.shared.events import ChannelConfigured, NotificationFailed, NotificationSent
from pulsecheck.testing.alerts import channel, opened_notice
from pulsecheck.testing.results import T0

POLICY = RetryPolicy(max_attempts=4, base_delay_seconds=0.5, max_delay_seconds=3)


class ScriptedChannel:
    """A channel whose sends answer from a script (the pure retry loop needs no network)."""

    kind = "sms"

    def __init__(self, answers: list[DeliveryResult]) -> None:
        self.answers = answers
        self.sent = 0

    def render(self, context: AlertContext, target: ChannelConfigured, now: datetime) -> Message:
        return Message(recipient=target.target, subject="s", text="t")

    async def send(self, message: Message) -> DeliveryResult:
        self.sent += 1
        return self.answers.pop(0)


FAIL_5XX = DeliveryResult.failed("503", retryable=True)
FAIL_4XX = DeliveryResult.failed("400", retryable=False)
OK = DeliveryResult.delivered("id-1")


@pytest.mark.parametrize(
    ("answers", "attempts", "ok", "sleeps"),
    [
        ([OK], 1, True, []),
        ([FAIL_5XX, FAIL_5XX, OK], 3, True, [0.25, 0.5]),
        ([FAIL_4XX], 1, False, []),
        ([FAIL_5XX] * 4, 4, False, [0.25, 0.5, 1.0]),
    ],
    ids=["first-try", "retried-then-ok", "4xx-not-retried", "gives-up-after-max"],
)
async def test_retry_loop(
    answers: list[DeliveryResult], attempts: int, ok: bool, sleeps: list[float]
) -> None:
    sender = ScriptedChannel(list(answers))
    seen: list[tuple[int, bool, bool]] = []
    slept: list[float] = []

    async def on_attempt(attempt: int, result: DeliveryResult, final: bool) -> None:
        seen.append((attempt, result.ok, final))

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    result = await deliver_with_retries(
        sender, Message("r", "s", "t"), POLICY, on_attempt, sleep=sleep, jitter=lambda: 0.0
    )
    assert result.ok is ok
    assert sender.sent == attempts
    assert [a for a, _, _ in seen] == list(range(1, attempts + 1))
    assert [final for _, _, final in seen] == [False] * (attempts - 1) + [True]
    assert slept == sleeps


def test_backoff_grows_is_capped_and_jittered() -> None:
    assert [backoff_delay(POLICY, n, 0.0) for n in (1, 2, 3, 4, 5)] == [0.25, 0.5, 1.0, 1.5, 1.5]
    assert backoff_delay(POLICY, 1, 0.999) < 0.5


def test_attempt_events() -> None:
    rules = MonitorRules(monitor_id="mon-1", account_id="acct-1", name="Shop", url="u")
    target = channel("sms", "+15550001234")
    request = delivery_requests(opened_notice(), rules, [target], RecipientDigest(b"k"))[0]
    sent = attempt_event(request, target, 1, OK, True, T0)
    failed = attempt_event(request, target, 2, FAIL_5XX, False, T0)
    assert isinstance(sent, NotificationSent) and sent.provider_message_id == "id-1"
    assert isinstance(failed, NotificationFailed) and failed.retryable and not failed.final
    assert failed.trigger_event_id == "ev-open" and failed.delivery_key == request.delivery_key
