"""The signed webhook through httpx against a receiver that verifies signature and timestamp."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from pulsecheck.channels.webhook.channel import WebhookChannel, signature, signing_secrets
from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.checks.vetted_transport import vetted_client
from pulsecheck.shared.events import ChannelConfigured
from pulsecheck.shared.target_safety import AllowList
from pulsecheck.testing.alerts import channel, context_for, opened_notice
from pulsecheck.testing.standins.webhook import accepted_documents, webhook_receiver

SECRET = "s3cret"
LOCAL = TargetGuard(AllowList.from_entries(["127.0.0.1/32"]))


def test_signature_is_hmac_sha256_over_timestamp_and_body() -> None:
    expected = hmac.new(b"key", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert signature("key", "1700000000", b"{}") == f"sha256={expected}"
    assert signature("key", "1", b"a") != signature("key", "2", b"a")


async def test_receiver_accepts_a_signed_delivery() -> None:
    with webhook_receiver(SECRET) as receiver:
        async with vetted_client(LOCAL, 2) as client:
            hook = WebhookChannel(client)
            target = channel("webhook", receiver.url + "/hooks/pulsecheck", secret=SECRET)
            message = hook.render(
                context_for(opened_notice(), key="k-1"), target, datetime.now(UTC)
            )
            result = await hook.send(message)
        assert result.ok
        documents = accepted_documents(receiver, SECRET)
    assert len(documents) == 1
    assert documents[0]["delivery_key"] == "k-1"
    assert documents[0]["transition"] == "opened"
    assert documents[0]["alert"]["kind"] == "down"
    assert receiver.received[0].headers["x-pulsecheck-delivery"] == "k-1"


@pytest.mark.parametrize(
    ("secret", "age"),
    [("wrong", timedelta(0)), (SECRET, timedelta(minutes=10))],
    ids=["wrong-secret", "stale-timestamp"],
)
async def test_receiver_refuses_forged_or_replayed(secret: str, age: timedelta) -> None:
    with webhook_receiver(SECRET) as receiver:
        async with vetted_client(LOCAL, 2) as client:
            hook = WebhookChannel(client)
            target = channel("webhook", receiver.url, secret=secret)
            message = hook.render(context_for(opened_notice()), target, datetime.now(UTC) - age)
            result = await hook.send(message)
    assert not result.ok and not result.retryable
    assert result.error == "webhook 401"


NEW, OLD = "new-secret-0123456789", "old-secret-0123456789"


def _rotated(receiver_url: str, until: datetime) -> ChannelConfigured:
    return channel("webhook", receiver_url, secret=NEW).model_copy(
        update={"previous_secret": OLD, "previous_secret_until": until}
    )


def test_the_previous_secret_signs_only_until_the_overlap_ends() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rotated = _rotated("https://h.example/", now + timedelta(hours=1))
    assert signing_secrets(rotated, now) == (NEW, OLD)
    assert signing_secrets(rotated, now + timedelta(hours=1)) == (NEW,)


@pytest.mark.parametrize("receiver_secret", [NEW, OLD], ids=["switched", "not-yet-switched"])
async def test_during_the_overlap_a_receiver_with_either_secret_verifies(
    receiver_secret: str,
) -> None:
    now = datetime.now(UTC)
    with webhook_receiver(receiver_secret) as receiver:
        async with vetted_client(LOCAL, 2) as client:
            hook = WebhookChannel(client)
            target = _rotated(receiver.url, now + timedelta(hours=24))
            result = await hook.send(hook.render(context_for(opened_notice()), target, now))
    assert result.ok
    assert receiver.received[0].headers["x-pulsecheck-signature"].count("sha256=") == 2


async def test_after_the_overlap_the_old_secret_no_longer_verifies() -> None:
    now = datetime.now(UTC)
    with webhook_receiver(OLD) as receiver:
        async with vetted_client(LOCAL, 2) as client:
            hook = WebhookChannel(client)
            target = _rotated(receiver.url, now - timedelta(seconds=1))
            result = await hook.send(hook.render(context_for(opened_notice()), target, now))
    assert result.error == "webhook 401"
