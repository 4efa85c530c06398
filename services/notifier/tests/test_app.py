"""The notifier process end to end, delivering: real Kafka, the real SDKs, local stand-ins."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta

import pytest

from pulsecheck.shared.events import (
    NO_MONITOR,
    AlertRules,
    ChannelTestRequested,
    IncidentOpened,
    IncidentResolved,
    MonitorRemoved,
    NotificationFailed,
    NotificationSent,
)
from pulsecheck.shared.events.alerts import NotificationAttempt
from pulsecheck.shared.events.common import MaintenanceWindow
from pulsecheck.shared.events.monitors import MonitorUpdated
from pulsecheck.testing.kafka import read_all, read_to_end
from pulsecheck.testing.notifier_stage import MONITOR, SECRET, Stage, down_then_up, with_rules
from pulsecheck.testing.results import tls_result, uptime_result
from pulsecheck.testing.standins.slack import slack_texts
from pulsecheck.testing.standins.webhook import accepted_documents
from pulsecheck.testing.waiting import wait_until

pytestmark = pytest.mark.kafka


async def test_outage_and_recovery_reach_every_channel_exactly_once(stage: Stage) -> None:
    # the results are on the topic before the notifier runs: they must not outrun the channels
    # and the monitor's spec published ahead of them (else the alerts would be lost)
    await stage.results(*down_then_up())
    notifier = stage.notifier().start()
    try:
        await wait_until(lambda: len(stage.sms_texts()) >= 2, what="two SMS")
        await wait_until(lambda: len(stage.ses.sent()) >= 2, what="two emails")
        await wait_until(lambda: len(slack_texts(stage.slack)) >= 2, what="two Slack messages")
        await wait_until(lambda: len(accepted_documents(stage.webhook, SECRET)) >= 2, what="hooks")
        alerts = await read_all(stage.bootstrap, stage.topics.alerts)
        assert notifier.counter("pulsecheck_notifier_results_total") == 6
    finally:
        assert notifier.stop() == 0
    assert stage.sms_texts() == [
        "DOWN: Shop is down since 2026-03-02 12:01 UTC: HTTP 503",
        "RECOVERED: Shop is back up after 4m 0s",
    ]
    assert [m.subject for m in stage.ses.sent()] == stage.sms_texts()
    assert slack_texts(stage.slack) == stage.sms_texts()
    documents = accepted_documents(stage.webhook, SECRET)
    assert [d["transition"] for d in documents] == ["opened", "resolved"]
    sent = [e.data for e in alerts if isinstance(e.data, NotificationSent)]
    assert sorted(s.channel_kind for s in sent) == sorted(["sms", "email", "slack", "webhook"] * 2)


# faust's recovery used to drop the records fetched while it resumed the streams after a restart
# (the worker said "Worker ready" and never processed them; `recovery.py`): 20 restarts in a row,
# each with results published while the new worker starts, must lose none and repeat none.
RESTARTS = 20


# 20 cycles of restart (up to 60 s) and alerts (up to 30 s) on a busy 2-core machine
@pytest.mark.timeout(20 * 90)
async def test_restart_in_the_middle_neither_repeats_nor_forgets(stage: Stage) -> None:
    results = [
        uptime_result(MONITOR, i, "down" if i % 6 in (1, 2, 3) else "up")
        for i in range(6 * RESTARTS)
    ]
    first = await stage.started()
    await stage.results(*results[:4])
    await wait_until(lambda: len(stage.sms_texts()) == 1, what="the first outage SMS")
    previous = first
    for restart in range(RESTARTS):
        assert previous.stop(signal.SIGTERM) == 0
        current = stage.notifier().start()
        # the rest of this cycle and the start of the next outage, published while it starts
        await stage.results(*results[6 * restart + 4 : 6 * restart + 10])
        expected = 2 * restart + 2 + (1 if restart < RESTARTS - 1 else 0)
        try:
            await wait_until(
                lambda: len(stage.sms_texts()) >= expected,  # noqa: B023
                within=30,
                what=f"SMS {expected} after restart {restart + 1}",
            )
        except AssertionError:
            current.stop()
            raise
        previous = current
    try:
        # every channel's messages recorded as sent: nothing is still on its way
        sent: list[NotificationSent] = []
        for _ in range(100):
            alerts = await read_all(stage.bootstrap, stage.topics.alerts)
            sent = [e.data for e in alerts if isinstance(e.data, NotificationSent)]
            if len(sent) >= 8 * RESTARTS:
                break
    finally:
        assert previous.stop() == 0
    texts = stage.sms_texts()
    assert len(texts) == 2 * RESTARTS
    assert all(t.startswith("DOWN:") for t in texts[0::2]), texts
    assert all(t.startswith("RECOVERED:") for t in texts[1::2]), texts
    assert len(sent) == 8 * RESTARTS and len({s.delivery_key for s in sent}) == 8 * RESTARTS
    assert len(slack_texts(stage.slack)) == len(stage.ses.sent()) == 2 * RESTARTS


async def test_failing_channel_retries_then_fails_while_others_deliver(stage: Stage) -> None:
    stage.slack.fail_next(100, 503)
    notifier = await stage.started()
    try:
        await stage.results(*down_then_up()[:4])
        await wait_until(lambda: len(stage.sms_texts()) == 1, what="the SMS")
        await wait_until(lambda: len(stage.slack.received) == 3, what="three Slack attempts")

        async def failures() -> list[NotificationFailed]:
            alerts = await read_all(stage.bootstrap, stage.topics.alerts)
            return [e.data for e in alerts if isinstance(e.data, NotificationFailed)]

        found: list[NotificationFailed] = []
        for _ in range(50):
            found = await failures()
            if any(f.final for f in found):
                break
    finally:
        assert notifier.stop() == 0
    assert [(f.channel_kind, f.attempt, f.retryable, f.final) for f in found] == [
        ("slack", 1, True, False),
        ("slack", 2, True, False),
        ("slack", 3, True, True),
    ]
    assert len(stage.ses.sent()) == 1
    assert len(accepted_documents(stage.webhook, SECRET)) == 1


async def test_certificate_expiring_in_29_13_6_days_alerts_three_times(stage: Stage) -> None:
    notifier = await stage.started()
    try:
        await stage.results(
            *[tls_result(MONITOR, i, days_remaining=d) for i, d in enumerate([29, 28, 13, 12, 6])]
        )
        await wait_until(lambda: len(stage.sms_texts()) >= 3, what="three certificate SMS")
        await stage.results(tls_result(MONITOR, 5, days_remaining=5))
        await wait_until(
            lambda: notifier.counter("pulsecheck_notifier_results_total") >= 6,
            what="all results processed",
        )
    finally:
        assert notifier.stop() == 0
    assert [t.split(" (")[0] for t in stage.sms_texts()] == [
        "CERTIFICATE EXPIRING: Shop certificate expires in 29 days",
        "CERTIFICATE EXPIRING: Shop certificate expires in 13 days",
        "CERTIFICATE EXPIRING: Shop certificate expires in 6 days",
    ]


async def test_held_notice_goes_out_when_the_hold_ends_without_another_result(
    stage: Stage,
) -> None:
    now = datetime.now(UTC)
    window = MaintenanceWindow(
        starts_at=(now - timedelta(hours=1)).isoformat(),
        ends_at=(now + timedelta(hours=1)).isoformat(),
    )
    held = MonitorUpdated(
        monitor_id=MONITOR,
        account_id="acct-1",
        name="Shop",
        url="https://shop.example.test/",
        alert_rules=AlertRules(maintenance_windows=[window]),
    )
    await stage.publish(stage.topics.monitors, held, MONITOR)
    stage.env["PULSECHECK_TICK_INTERVAL_SECONDS"] = "0.3"
    notifier = await stage.started()
    try:
        await stage.results(*down_then_up()[:4])

        async def opened() -> bool:
            alerts = await read_all(stage.bootstrap, stage.topics.alerts)
            return any(isinstance(e.data, IncidentOpened) for e in alerts)

        for _ in range(100):
            if await opened():
                break
        assert await opened() and stage.sms_texts() == []  # recorded, held back
        # maintenance is over (ended early): no new result arrives, the timer must release it
        ended = held.model_copy(update={"alert_rules": AlertRules()})
        await stage.publish(stage.topics.monitors, ended, MONITOR)
        await wait_until(lambda: len(stage.sms_texts()) >= 1, what="the released SMS")
        assert notifier.counter("pulsecheck_notifier_results_total") == 4
    finally:
        assert notifier.stop() == 0
    assert stage.sms_texts() == ["DOWN: Shop is down since 2026-03-02 12:01 UTC: HTTP 503"]


async def test_no_recipient_in_the_clear_on_the_alerts_topic(stage: Stage) -> None:
    notifier = await stage.started()
    try:
        await stage.results(*down_then_up()[:4])
        for _ in range(100):
            alerts = await read_all(stage.bootstrap, stage.topics.alerts)
            if len([e for e in alerts if isinstance(e.data, NotificationSent)]) >= 4:
                break
        records = await read_to_end(stage.bootstrap, stage.topics.alerts)
    finally:
        assert notifier.stop() == 0
    assert len(stage.sms_texts()) == 1 and len(stage.ses.sent()) == 1
    assert len(slack_texts(stage.slack)) == 1 and len(stage.webhook.received) == 1
    everything = b"\n".join((r.key or b"") + b"|" + (r.value or b"") for r in records)
    assert b"NotificationSent" in everything or b"notification.sent" in everything
    for recipient in (
        "+15557654321",
        "5557654321",
        "ops@shop.test",
        stage.slack.url,
        stage.webhook.url,
    ):
        assert recipient.encode() not in everything, recipient


async def test_deleted_monitors_in_flight_checks_alert_nobody(stage: Stage) -> None:
    ids = [f"gone-{i:03}" for i in range(200)]
    for monitor_id in ids:
        spec = with_rules([], monitor_id, channels=["ch-hook"])
        await stage.publish(stage.topics.monitors, spec, monitor_id)
    notifier = await stage.started()
    try:
        # ten of them are already down: one incident each, to the webhook only
        for monitor_id in ids[:10]:
            await stage.results(*(uptime_result(monitor_id, i, "down") for i in range(3)))
        docs = lambda: accepted_documents(stage.webhook, SECRET)  # noqa: E731
        await wait_until(lambda: len(docs()) >= 10, what="ten DOWN hooks")
        for monitor_id in ids:
            await stage.publish(
                stage.topics.monitors,
                MonitorRemoved(monitor_id=monitor_id, account_id="acct-1"),
                monitor_id,
            )
        # the checks in flight when they were deleted come back failing
        for monitor_id in ids:
            await stage.results(*(uptime_result(monitor_id, i, "down") for i in range(3, 6)))
        await wait_until(
            lambda: notifier.counter("pulsecheck_notifier_results_dropped_total") >= 600,
            what="every late result dropped",
        )
        alerts = await read_all(stage.bootstrap, stage.topics.alerts)
    finally:
        assert notifier.stop() == 0
    opened = {e.data.incident_id for e in alerts if isinstance(e.data, IncidentOpened)}
    resolved = [e.data for e in alerts if isinstance(e.data, IncidentResolved)]
    assert len(opened) == 10
    assert {r.incident_id for r in resolved} == opened
    assert {r.reason for r in resolved} == {"monitor removed"}
    assert [d["transition"] for d in docs()] == ["opened"] * 10


async def test_send_a_test_goes_through_the_real_channel_once_per_interval(
    stage: Stage,
) -> None:
    notifier = await stage.started()
    try:
        ask = ChannelTestRequested(
            channel_id="ch-slack", account_id="acct-1", requested_at=datetime.now(UTC)
        )
        await stage.publish(stage.topics.channel_tests, ask, "ch-slack")
        await wait_until(lambda: len(slack_texts(stage.slack)) >= 1, what="the test on Slack")
        # a second ask within the interval is answered, not sent
        await stage.publish(stage.topics.channel_tests, ask, "ch-slack")

        async def both_outcomes() -> list[NotificationAttempt] | None:
            alerts = await read_all(stage.bootstrap, stage.topics.alerts)
            reports = [e.data for e in alerts if isinstance(e.data, NotificationAttempt)]
            return reports if len(reports) >= 2 else None

        sent, refused = await wait_until(both_outcomes, what="the two tests' outcomes")
    finally:
        assert notifier.stop() == 0
    assert [text.split(" (")[0] for text in slack_texts(stage.slack)] == [
        "TEST: PulseCheck reaches slack channel"
    ]
    assert isinstance(sent, NotificationSent) and isinstance(refused, NotificationFailed)
    assert sent.monitor_id == refused.monitor_id == NO_MONITOR
    assert sent.trigger_type == refused.trigger_type == ChannelTestRequested.EVENT_TYPE
    assert "one test per 10 s" in refused.error and refused.final
    assert stage.sms_texts() == []
