"""Delivering one request through its channel: bounded retries with backoff and jitter, and a
NotificationSent or NotificationFailed event for every attempt."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pulsecheck.channels.base import Channel, DeliveryResult, Message
from pulsecheck.notifier.routing import DeliveryRequest
from pulsecheck.shared.events import ChannelConfigured, NotificationFailed, NotificationSent

AttemptEvent = NotificationSent | NotificationFailed


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay_seconds: float = 0.5
    max_delay_seconds: float = 8.0
    attempt_timeout_seconds: float = 10.0


def backoff_delay(policy: RetryPolicy, attempt: int, unit: float) -> float:
    """Delay after failed attempt n: exponential, capped, half of it jittered by unit∈[0,1)."""
    ceiling = min(policy.max_delay_seconds, policy.base_delay_seconds * 2.0 ** (attempt - 1))
    return ceiling / 2 + unit * ceiling / 2


def attempt_event(
    request: DeliveryRequest,
    channel: ChannelConfigured,
    attempt: int,
    result: DeliveryResult,
    final: bool,
    at: datetime,
) -> AttemptEvent:
    common: dict[str, Any] = {
        "delivery_key": request.delivery_key,
        "monitor_id": request.monitor_id,
        "account_id": request.account_id,
        "channel_id": channel.channel_id,
        "channel_kind": channel.kind,
        "trigger_event_id": request.notice.event_id,
        "trigger_type": request.notice.event_type,
        "attempt": attempt,
    }
    if result.ok:
        return NotificationSent(
            **common, sent_at=at, provider_message_id=result.provider_message_id
        )
    return NotificationFailed(
        **common,
        failed_at=at,
        error=result.error or "unknown error",
        retryable=result.retryable,
        final=final,
    )


async def deliver_with_retries(
    sender: Channel,
    message: Message,
    policy: RetryPolicy,
    on_attempt: Callable[[int, DeliveryResult, bool], Awaitable[None]],
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    jitter: Callable[[], float] = random.random,
) -> DeliveryResult:
    """Tries until delivered, a failure not worth retrying, or the attempts run out."""
    result = DeliveryResult.failed("not attempted", retryable=False)
    for attempt in range(1, policy.max_attempts + 1):
        try:
            result = await asyncio.wait_for(sender.send(message), policy.attempt_timeout_seconds)
        except TimeoutError:
            result = DeliveryResult.failed(
                f"no answer within {policy.attempt_timeout_seconds}s", retryable=True
            )
        final = result.ok or not result.retryable or attempt == policy.max_attempts
        await on_attempt(attempt, result, final)
        if final:
            return result
        await sleep(backoff_delay(policy, attempt, jitter()))
    return result


def utc_now() -> datetime:
    return datetime.now(UTC)
