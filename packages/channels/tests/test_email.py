"""Email through real boto3 SES v2 against moto in server mode on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulsecheck.channels.email.channel import EmailChannel
from pulsecheck.channels.email.settings import SesSettings, ses_client
from pulsecheck.testing.alerts import channel, context_for, expiring_notice, opened_notice
from pulsecheck.testing.ports import free_port
from pulsecheck.testing.results import T0
from pulsecheck.testing.standins.ses import SENDER, SesStandin, ses_standin


@pytest.fixture
def ses(aws_test_credentials: None) -> Iterator[SesStandin]:
    with ses_standin() as standin:
        yield standin


def email_channel(endpoint_url: str, sender: str = SENDER) -> EmailChannel:
    settings = SesSettings(ses_from_address=sender, ses_endpoint_url=endpoint_url)
    return EmailChannel(ses_client(settings, 2), settings.ses_from_address)


def test_render_has_subject_text_and_html() -> None:
    email = EmailChannel(client=None, sender=SENDER)
    message = email.render(context_for(expiring_notice()), channel("email", "ops@shop.test"), T0)
    assert (
        message.subject == "CERTIFICATE EXPIRING: Shop certificate expires in 13 days (2026-03-15)"
    )
    assert "Site: https://shop.example.test/" in message.text
    assert (
        message.html is not None
        and '<a href="http://127.0.0.1:8000/monitors/mon-1">' in message.html
    )


async def test_send_is_accepted_by_ses(ses: SesStandin) -> None:
    email = email_channel(ses.endpoint_url)
    message = email.render(context_for(opened_notice()), channel("email", "ops@shop.test"), T0)
    result = await email.send(message)
    assert result.ok and result.provider_message_id
    sent = ses.sent()
    assert len(sent) == 1
    assert sent[0].destinations["ToAddresses"] == ["ops@shop.test"]
    assert sent[0].subject == message.subject


async def test_unverified_sender_is_refused_without_retry(ses: SesStandin) -> None:
    email = email_channel(ses.endpoint_url, sender="nobody@unverified.test")
    message = email.render(context_for(opened_notice()), channel("email", "ops@shop.test"), T0)
    result = await email.send(message)
    assert not result.ok and not result.retryable
    assert result.error is not None and "ops@shop.test" not in result.error


async def test_unreachable_ses_is_retryable(aws_test_credentials: None) -> None:
    email = email_channel(f"http://127.0.0.1:{free_port()}")
    message = email.render(context_for(opened_notice()), channel("email", "ops@shop.test"), T0)
    result = await email.send(message)
    assert not result.ok and result.retryable
