from __future__ import annotations

from pulsecheck.shared.topics import Topics


def test_default_names_are_the_public_contract() -> None:
    topics = Topics()
    assert [spec.name for spec in topics.specs()] == [
        "pulsecheck.monitors",
        "pulsecheck.channels",
        "pulsecheck.checks.requested",
        "pulsecheck.checks.completed",
        "pulsecheck.alerts",
        "pulsecheck.deadletter",
    ]


def test_monitors_are_compacted_forever_and_checks_expire() -> None:
    specs = {spec.name: spec.config() for spec in Topics(checks_retention_days=3).specs()}
    assert specs["pulsecheck.monitors"]["cleanup.policy"] == "compact"
    assert specs["pulsecheck.monitors"]["retention.ms"] == "-1"
    assert specs["pulsecheck.checks.requested"]["retention.ms"] == str(6 * 3_600_000)
    assert specs["pulsecheck.checks.completed"]["retention.ms"] == str(3 * 86_400_000)


def test_prefix_namespaces_every_topic() -> None:
    assert all(spec.name.startswith("staging.") for spec in Topics("staging.").specs())
