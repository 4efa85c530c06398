"""SMS through the real twilio SDK, pointed at the local Twilio REST stand-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulsecheck.channels.sms.channel import SmsChannel
from pulsecheck.channels.sms.settings import TwilioSettings, twilio_client
from pulsecheck.testing.alerts import channel, context_for, opened_notice, resolved_notice
from pulsecheck.testing.ports import free_port
from pulsecheck.testing.results import T0
from pulsecheck.testing.standins.recording_server import RecordingServer
from pulsecheck.testing.standins.twilio import sms_bodies, twilio_standin

SID = "AC" + "0" * 32


@pytest.fixture
def twilio() -> Iterator[RecordingServer]:
    with twilio_standin() as server:
        yield server


def sms_channel(base_url: str) -> SmsChannel:
    settings = TwilioSettings(
        twilio_account_sid=SID,
        twilio_auth_token="token",
        twilio_from_number="+15550001111",
        twilio_base_url=base_url,
    )
    return SmsChannel(twilio_client(settings, 2), settings.twilio_from_number)


def test_render_is_short_and_says_site_what_and_since() -> None:
    sms = SmsChannel(client=None, from_number="+1")  # type: ignore[arg-type]
    message = sms.render(context_for(opened_notice()), channel("sms", "+15557654321"), T0)
    assert message.text == "DOWN: Shop is down since 2026-03-02 12:00 UTC: HTTP 503"
    recovered = sms.render(context_for(resolved_notice()), channel("sms", "+15557654321"), T0)
    assert recovered.text == "RECOVERED: Shop is back up after 12m 5s"


async def test_send_reaches_the_stand_in_through_the_sdk(twilio: RecordingServer) -> None:
    sms = sms_channel(twilio.url)
    message = sms.render(context_for(opened_notice()), channel("sms", "+15557654321"), T0)
    result = await sms.send(message)
    assert result.ok and result.provider_message_id and result.provider_message_id.startswith("SM")
    assert twilio.received[0].path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert sms_bodies(twilio) == [
        {"To": "+15557654321", "From": "+15550001111", "Body": message.text}
    ]


@pytest.mark.parametrize(("status", "retryable"), [(500, True), (429, True), (400, False)])
async def test_provider_errors_are_classified(
    twilio: RecordingServer, status: int, retryable: bool
) -> None:
    twilio.fail_next(1, status)
    result = await sms_channel(twilio.url).send(
        sms_channel(twilio.url).render(context_for(opened_notice()), channel("sms", "+1555"), T0)
    )
    assert not result.ok
    assert result.retryable is retryable
    assert result.error is not None and "+1555" not in result.error


async def test_unreachable_provider_is_retryable() -> None:
    sms = sms_channel(f"http://127.0.0.1:{free_port()}")
    result = await sms.send(sms.render(context_for(opened_notice()), channel("sms", "+1555"), T0))
    assert not result.ok and result.retryable


def test_every_region_silent_is_worded() -> None:
    sms = SmsChannel(client=None, from_number="+1")  # type: ignore[arg-type]
    opened = opened_notice()
    silent = opened.alert.model_copy(update={"kind": "silent", "cause": None})
    message = sms.render(
        context_for(opened.model_copy(update={"alert": silent})), channel("sms", "+1555"), T0
    )
    assert (
        message.text
        == "NOT CHECKED: Shop has no results from any region since 2026-03-02 12:00 UTC"
    )
