"""The ACL list, read as a table of who may and who may not, for each service principal."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulsecheck.notifier.settings import NotifierSettings
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.projector.main import consumer_group as projector_group
from pulsecheck.projector.service import projected_topics
from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.scheduler.settings import SchedulerSettings
from pulsecheck.shared.kafka.acls import (
    SERVICE_USERS,
    AclEntry,
    Operation,
    ResourceType,
    acl_table,
    service_acls,
)
from pulsecheck.shared.topics import Topics

PREFIX = "t1."
TOPICS = Topics(PREFIX)
ACLS = service_acls(TOPICS)


def allows(user: str, kind: ResourceType, name: str, operation: Operation) -> bool:
    """The broker's rule: an ALLOW on the name or a prefix of it; WRITE/READ imply DESCRIBE."""
    implied = {operation} | ({"READ", "WRITE"} if operation == "DESCRIBE" else set())

    def matches(acl: AclEntry) -> bool:
        if acl.pattern == "PREFIXED":
            return name.startswith(acl.name)
        return name == acl.name

    return any(
        acl.user == f"pulsecheck-{user}"
        and acl.resource_type == kind
        and acl.operation in implied
        and matches(acl)
        for acl in ACLS
    )


T = TOPICS
SCENARIOS = [
    # (service, topic, operation, allowed)
    ("query-api", T.monitors, "WRITE", True),
    ("query-api", T.channels, "WRITE", True),
    ("query-api", T.checks_requested, "WRITE", True),
    ("query-api", T.heartbeats, "WRITE", True),
    ("query-api", T.channels, "READ", False),
    ("query-api", T.alerts, "WRITE", False),
    ("projector", T.monitors, "READ", True),
    ("projector", T.alerts, "READ", True),
    ("projector", T.deadletter, "WRITE", True),
    ("projector", T.monitors, "WRITE", False),
    ("scheduler", T.monitors, "READ", True),
    ("scheduler", T.checks_requested, "WRITE", True),
    ("scheduler", T.scheduler_progress, "READ", True),
    ("scheduler", T.scheduler_progress, "WRITE", True),
    ("scheduler", T.heartbeats, "READ", True),
    ("scheduler", T.scheduler_heartbeats, "READ", True),
    ("scheduler", T.scheduler_heartbeats, "WRITE", True),
    # a heartbeat's result is the scheduler's to write: it judges the pings
    ("scheduler", T.checks_completed, "WRITE", True),
    ("scheduler", T.channels, "READ", False),
    ("scheduler", T.checks_completed, "READ", False),
    ("scheduler", T.heartbeats, "WRITE", False),
    ("prober", T.checks_requested, "READ", True),
    ("prober", T.checks_completed, "WRITE", True),
    ("prober", T.deadletter, "WRITE", True),
    ("prober", T.monitors, "READ", False),
    ("prober", T.channels, "READ", False),
    ("prober", T.alerts, "WRITE", False),
    ("prober", T.heartbeats, "WRITE", False),
    ("notifier", T.channels, "READ", True),
    ("notifier", T.checks_completed, "READ", True),
    ("notifier", T.alerts, "WRITE", True),
    ("notifier", T.notifier_ticks, "WRITE", True),
    ("notifier", T.notifier_changelog("monitor-state"), "READ", True),
    ("notifier", T.checks_requested, "READ", False),
    ("notifier", T.monitors, "WRITE", False),
    ("topics", T.notifier_deliveries, "CREATE", True),
    ("topics", T.monitors, "ALTER_CONFIGS", True),
    ("topics", T.monitors, "READ", False),
    ("topics", Topics("other.").monitors, "CREATE", False),
    # another installation's topics on the same cluster
    ("prober", Topics("other.").checks_requested, "READ", False),
]


@pytest.mark.parametrize(("service", "topic", "operation", "allowed"), SCENARIOS)
def test_topic_rights(service: str, topic: str, operation: Operation, allowed: bool) -> None:
    assert allows(service, "TOPIC", topic, operation) is allowed


def test_the_projector_reads_every_topic_it_projects() -> None:
    assert all(allows("projector", "TOPIC", name, "READ") for name in projected_topics(TOPICS))


def test_topics_init_reaches_every_topic_of_the_registry() -> None:
    for spec in TOPICS.specs():
        for operation in ("CREATE", "DESCRIBE", "DESCRIBE_CONFIGS", "ALTER_CONFIGS"):
            assert allows("topics", "TOPIC", spec.name, operation), (spec.name, operation)


def test_each_service_joins_only_its_own_group() -> None:
    env = {"topic_prefix": PREFIX}
    groups = {
        "prober": ProberSettings(region="eu-west", **env).consumer_group(),
        "scheduler": SchedulerSettings(**env).group_id(),
        "projector": projector_group(ProjectorSettings(**env)),
        "notifier": NotifierSettings(**env).faust_app_id(),
    }
    for service, group in groups.items():
        assert allows(service, "GROUP", group, "READ"), service
        others = set(groups) - {service}
        assert not any(allows(other, "GROUP", group, "READ") for other in others), group


def test_the_scheduler_owns_its_transactional_ids() -> None:
    transactional_id = f"{SchedulerSettings(topic_prefix=PREFIX).group_id()}-p7"
    assert allows("scheduler", "TRANSACTIONAL_ID", transactional_id, "WRITE")
    assert not allows("prober", "TRANSACTIONAL_ID", transactional_id, "WRITE")


def test_every_resource_name_but_the_cluster_carries_the_prefix() -> None:
    assert all(acl.name.startswith(PREFIX) for acl in ACLS if acl.resource_type != "CLUSTER")


def test_every_service_has_rules_and_the_table_lists_them() -> None:
    table = acl_table(ACLS)
    assert {acl.user for acl in ACLS} == set(SERVICE_USERS.values())
    assert f"| pulsecheck-prober | group | `{PREFIX}pulsecheck-prober-*` | READ |" in table


def test_the_readme_shows_the_acls_the_broker_gets() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert acl_table(service_acls(Topics())) in readme


def principals_allowed(name: str, operation: Operation) -> set[str]:
    return {
        service
        for service in SERVICE_USERS
        if service != "topics" and allows(service, "TOPIC", name, operation)
    }


def test_every_topic_of_the_registry_has_a_writer_and_a_reader() -> None:
    # a topic added to the registry without its ACLs is refused to the service that needs it
    for spec in TOPICS.specs():
        assert principals_allowed(spec.name, "WRITE"), spec.name
        # dead letters are for operators, who read them as the admin user
        if spec.name != TOPICS.deadletter:
            assert principals_allowed(spec.name, "READ"), spec.name
