"""The notifier process end to end with several regions: quorum over fresh regions, a silent
region reported, NOT CHECKED when every region is silent, one TLS incident."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pulsecheck.shared.events import (
    CheckCompleted,
)
from pulsecheck.testing.notifier_process import NotifierProcess
from pulsecheck.testing.notifier_stage import MONITOR, SECRET, Stage, with_rules
from pulsecheck.testing.results import tls_result, uptime_result
from pulsecheck.testing.standins.slack import slack_texts
from pulsecheck.testing.standins.webhook import accepted_documents
from pulsecheck.testing.waiting import wait_until

pytestmark = pytest.mark.kafka


def silenced(notifier: NotifierProcess, region: str) -> float:
    prefix = f'pulsecheck_notifier_regions_silenced_total{{region="{region}"}} '
    lines = [line for line in notifier.metrics().splitlines() if line.startswith(prefix)]
    return float(lines[0].split()[1]) if lines else 0.0


def at(region: str, first: int, pattern: str) -> list[CheckCompleted]:
    outcome = {"U": "up", "D": "down"}
    return [
        uptime_result(MONITOR, first + i, outcome[c], region=region) for i, c in enumerate(pattern)
    ]


async def test_a_stopped_region_neither_blocks_alerts_nor_goes_unreported(stage: Stage) -> None:
    await stage.publish(stage.topics.monitors, with_rules(["local", "eu"]), MONITOR)
    notifier = await stage.started()
    try:
        # eu reports, then stops; 20 minutes later (past 2.5 intervals of 300 s) local fails
        await stage.results(*at("eu", 0, "UU"), *at("local", 0, "UU"), *at("local", 20, "DDD"))
        await wait_until(lambda: len(stage.sms_texts()) >= 1, what="the outage SMS")
        await wait_until(lambda: silenced(notifier, "eu") >= 1, what="eu reported silent")
    finally:
        assert notifier.stop() == 0
    assert stage.sms_texts() == ["DOWN: Shop is down since 2026-03-02 12:20 UTC: HTTP 503"]


async def test_quorum_two_of_three_with_one_silent(stage: Stage) -> None:
    rules = with_rules(["a", "b", "c"], region_quorum=2)
    await stage.publish(stage.topics.monitors, rules, MONITOR)
    notifier = await stage.started()
    try:
        # a alone failing is not a quorum; a and b failing is, though c never reports
        results = [*at("a", 0, "DDDDDD"), *at("b", 0, "UUUDDD")]
        await stage.results(*sorted(results, key=lambda r: r.scheduled_for))
        await wait_until(lambda: len(stage.sms_texts()) >= 1, what="the outage SMS")
        await wait_until(
            lambda: notifier.counter("pulsecheck_notifier_results_total") >= 12, what="all read"
        )
    finally:
        assert notifier.stop() == 0
    # one alert, from when the first confirming region began failing
    assert stage.sms_texts() == ["DOWN: Shop is down since 2026-03-02 12:00 UTC: HTTP 503"]


async def test_every_region_silent_is_one_not_checked_alert_that_a_result_resolves(
    stage: Stage,
) -> None:
    # a 2 s interval (the scheduler's floor lowered to 1 s): a region is silent 5 s after its
    # last result, and the ticks timer looks every second
    spec = with_rules(["eu", "local"]).model_copy(update={"interval_seconds": 2})
    await stage.publish(stage.topics.monitors, spec, MONITOR)
    env = {
        **stage.env,
        "PULSECHECK_MIN_INTERVAL_SECONDS": "1",
        "PULSECHECK_TICK_INTERVAL_SECONDS": "1",
    }
    notifier = NotifierProcess(env, stage.log_path).start()
    try:
        await wait_until(
            lambda: notifier.counter("pulsecheck_notifier_configuration_events_total") >= 5,
            what="monitor and channels read",
        )
        last = datetime.now(UTC).replace(microsecond=0)
        await stage.results(*(uptime_result(MONITOR, 0, "up", region=r, start=last)
                              for r in ("eu", "local")))  # fmt: skip
        await wait_until(lambda: len(stage.sms_texts()) >= 1, what="the NOT CHECKED SMS")
        await wait_until(lambda: len(accepted_documents(stage.webhook, SECRET)) >= 1, what="hook")
        await stage.results(uptime_result(MONITOR, 0, "up", start=datetime.now(UTC)))
        await wait_until(lambda: len(stage.sms_texts()) >= 2, what="the resolving SMS")
        await wait_until(lambda: len(stage.ses.sent()) >= 2, what="two emails")
        await wait_until(lambda: len(slack_texts(stage.slack)) >= 2, what="two Slack messages")
        await wait_until(lambda: len(accepted_documents(stage.webhook, SECRET)) >= 2, what="hooks")
    finally:
        assert notifier.stop() == 0
    opened, resolved = stage.sms_texts()
    assert (
        opened
        == f"NOT CHECKED: Shop has no results from any region since {last:%Y-%m-%d %H:%M} UTC"
    )
    assert resolved.startswith("RECOVERED: Shop is reported on again after ")
    assert [m.subject for m in stage.ses.sent()] == stage.sms_texts()
    assert slack_texts(stage.slack) == stage.sms_texts()
    documents = accepted_documents(stage.webhook, SECRET)
    assert [(d["alert"]["kind"], d["transition"]) for d in documents] == [
        ("silent", "opened"), ("silent", "resolved"),
    ]  # fmt: skip


async def test_tls_failure_seen_from_one_region_is_one_incident(stage: Stage) -> None:
    await stage.publish(stage.topics.monitors, with_rules(["eu", "local"]), MONITOR)
    notifier = await stage.started()
    try:
        for day in range(4):
            await stage.results(
                tls_result(MONITOR, day, days_remaining=60, valid=False, region="eu"),
                tls_result(MONITOR, day, days_remaining=60, region="local"),
            )
        await wait_until(lambda: len(stage.sms_texts()) >= 1, what="the TLS SMS")
        await wait_until(
            lambda: notifier.counter("pulsecheck_notifier_results_total") >= 8, what="all read"
        )
    finally:
        assert notifier.stop() == 0
    assert [text.split(":")[0] for text in stage.sms_texts()] == ["TLS INVALID"]
