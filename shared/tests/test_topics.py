from __future__ import annotations

from pulsecheck.shared.topics import Topics


def test_default_names_are_the_public_contract() -> None:
    topics = Topics()
    assert [spec.name for spec in topics.public_specs()] == [
        "pulsecheck.monitors",
        "pulsecheck.channels",
        "pulsecheck.checks.requested",
        "pulsecheck.checks.completed",
        "pulsecheck.heartbeats",
        "pulsecheck.alerts",
        "pulsecheck.deadletter",
    ]


def test_internal_topics_are_named_here_too() -> None:
    topics = Topics()
    assert [spec.name for spec in topics.internal_specs()] == [
        "pulsecheck.scheduler.progress",
        "pulsecheck.scheduler.heartbeats",
        "pulsecheck-notifier-deliveries",
        "pulsecheck-notifier-ticks",
        "pulsecheck-notifier-monitor-state-changelog",
        "pulsecheck-notifier-deliveries-changelog",
        "pulsecheck.channels.tests",
    ]
    assert topics.specs() == topics.public_specs() + topics.internal_specs()
    assert not any(spec.public for spec in topics.internal_specs())


def test_internal_topics_mirror_the_partitions_of_their_sources() -> None:
    topics = Topics()
    sources = {spec.name: spec.source for spec in topics.internal_specs()}
    assert sources.pop(topics.scheduler_progress) == topics.monitors
    assert sources.pop(topics.scheduler_heartbeats) == topics.monitors
    # faust requires changelogs and agent topics co-partitioned with the results they follow
    assert set(sources.values()) == {topics.checks_completed}


def test_monitors_are_compacted_forever_and_checks_expire() -> None:
    specs = {spec.name: spec.config() for spec in Topics(checks_retention_days=3).specs()}
    assert specs["pulsecheck.monitors"]["cleanup.policy"] == "compact"
    assert specs["pulsecheck.monitors"]["retention.ms"] == "-1"
    assert specs["pulsecheck.checks.requested"]["retention.ms"] == str(6 * 3_600_000)
    assert specs["pulsecheck.checks.completed"]["retention.ms"] == str(3 * 86_400_000)


def test_progress_topic_and_changelogs_are_compacted_forever() -> None:
    topics = Topics()
    specs = {spec.name: spec.config() for spec in topics.internal_specs()}
    for name in (
        topics.scheduler_progress,
        topics.scheduler_heartbeats,
        "pulsecheck-notifier-monitor-state-changelog",
        "pulsecheck-notifier-deliveries-changelog",
    ):
        assert specs[name]["cleanup.policy"] == "compact"
        assert specs[name]["retention.ms"] == "-1"


def test_prefix_namespaces_every_topic() -> None:
    assert all(spec.name.startswith("staging.") for spec in Topics("staging.").specs())
    assert Topics("staging.").notifier_app_id == "staging.pulsecheck-notifier"
