"""Who may do what on the broker: one principal per service, allowed only its own topics.

`service_acls(topics)` is the whole list, derived from the topic registry; `scripts/infra`
applies it (through `pulsecheck-kafka-acls apply`) and the README's table is printed from it.
Anything not listed is refused: the broker runs with no `allow.everyone.if.no.acl.found`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from pulsecheck.shared.topics import NOTIFIER_DELIVERED_TABLE, NOTIFIER_STATE_TABLE, Topics

ResourceType = Literal["TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID"]
PatternType = Literal["LITERAL", "PREFIXED"]
Operation = Literal[
    "READ", "WRITE", "CREATE", "DESCRIBE", "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "IDEMPOTENT_WRITE"
]

# the only name a CLUSTER resource can have
CLUSTER: Final = "kafka-cluster"

# each service's SCRAM user; the super user that runs the broker and the admin tools is apart
SERVICE_USERS: Final = {
    "query-api": "pulsecheck-query-api",
    "projector": "pulsecheck-projector",
    "scheduler": "pulsecheck-scheduler",
    "prober": "pulsecheck-prober",
    "notifier": "pulsecheck-notifier",
    "topics": "pulsecheck-topics",
}
ADMIN_USER: Final = "pulsecheck-admin"

# consumer groups (and the scheduler's transactional ids) as the services name them; a test
# holds these to the services' own functions
PROJECTOR_GROUP: Final = "pulsecheck-projector"
# the scheduler's group is a setting (`consumer_group`); its transactional ids are `<group>-p<n>`
SCHEDULER_GROUP_STEM: Final = "pulsecheck-scheduler"
# one group per region: `pulsecheck-prober-<region>`
PROBER_GROUP_STEM: Final = "pulsecheck-prober-"


def topics_stem(topics: Topics) -> str:
    """The start every registry topic's name shares: `<prefix>pulsecheck`."""
    return f"{topics.prefix}pulsecheck"


@dataclass(frozen=True, order=True)
class AclEntry:
    """One ALLOW rule: `user` may do `operation` on a resource, from any host."""

    user: str
    resource_type: ResourceType
    pattern: PatternType
    name: str
    operation: Operation

    @property
    def principal(self) -> str:
        return f"User:{self.user}"


def service_acls(topics: Topics) -> tuple[AclEntry, ...]:
    """Every ALLOW rule of every service principal, sorted; names carry the topic prefix."""
    prefix = topics.prefix
    users = SERVICE_USERS
    acls: list[AclEntry] = []

    def topic(service: str, operation: Operation, *names: str) -> None:
        acls.extend(AclEntry(users[service], "TOPIC", "LITERAL", n, operation) for n in names)

    def group(service: str, name: str, pattern: PatternType = "LITERAL") -> None:
        acls.append(AclEntry(users[service], "GROUP", pattern, name, "READ"))

    # the API publishes monitor and channel changes, on-demand check requests and heartbeat
    # pings; /readyz describes the monitors topic (WRITE implies DESCRIBE) and asks the cluster
    # for metadata
    topic(
        "query-api", "WRITE",
        topics.monitors, topics.channels, topics.channel_tests, topics.checks_requested,
        topics.heartbeats,
    )  # fmt: skip
    acls.append(AclEntry(users["query-api"], "CLUSTER", "LITERAL", CLUSTER, "DESCRIBE"))

    topic("projector", "READ", topics.monitors, topics.channels)
    topic("projector", "READ", topics.checks_completed, topics.alerts)
    topic("projector", "WRITE", topics.deadletter)
    group("projector", prefix + PROJECTOR_GROUP)

    # its own state (checkpoints, heartbeat states) it writes and reads back; it judges the
    # heartbeats' pings and writes their results, as a prober writes a check's
    scheduler_state = (topics.scheduler_progress, topics.scheduler_heartbeats)
    topic("scheduler", "READ", topics.monitors, topics.heartbeats, *scheduler_state)
    topic("scheduler", "WRITE", topics.checks_requested, topics.checks_completed, *scheduler_state)
    topic("scheduler", "WRITE", topics.deadletter)
    group("scheduler", prefix + SCHEDULER_GROUP_STEM, "PREFIXED")
    for operation in ("WRITE", "DESCRIBE"):
        acls.append(
            AclEntry(
                users["scheduler"],
                "TRANSACTIONAL_ID",
                "PREFIXED",
                prefix + SCHEDULER_GROUP_STEM,
                operation,
            )
        )
    acls.append(AclEntry(users["scheduler"], "CLUSTER", "LITERAL", CLUSTER, "IDEMPOTENT_WRITE"))

    topic("prober", "READ", topics.checks_requested)
    topic("prober", "WRITE", topics.checks_completed, topics.deadletter)
    group("prober", prefix + PROBER_GROUP_STEM, "PREFIXED")

    topic(
        "notifier", "READ",
        topics.monitors, topics.channels, topics.channel_tests, topics.checks_completed,
    )  # fmt: skip
    topic("notifier", "WRITE", topics.alerts, topics.deadletter)
    # faust's own topics: its agents' streams and its tables' changelogs
    internal = (
        topics.notifier_deliveries,
        topics.notifier_ticks,
        topics.notifier_changelog(NOTIFIER_STATE_TABLE),
        topics.notifier_changelog(NOTIFIER_DELIVERED_TABLE),
    )
    topic("notifier", "READ", *internal)
    topic("notifier", "WRITE", *internal)
    group("notifier", topics.notifier_app_id)

    # `pulsecheck-topics` creates, verifies and reconfigures every topic of the registry
    topic_admin: tuple[Operation, ...] = ("CREATE", "DESCRIBE", "DESCRIBE_CONFIGS", "ALTER_CONFIGS")
    acls.extend(
        AclEntry(users["topics"], "TOPIC", "PREFIXED", topics_stem(topics), operation)
        for operation in topic_admin
    )
    return tuple(sorted(acls))


def acl_table(acls: tuple[AclEntry, ...]) -> str:
    """A Markdown table, one row per principal and resource, operations joined."""
    rows: dict[tuple[str, str, str], list[str]] = {}
    for acl in acls:
        name = acl.name + ("*" if acl.pattern == "PREFIXED" else "")
        rows.setdefault((acl.user, acl.resource_type.lower(), name), []).append(acl.operation)
    lines = ["| principal | resource | name | operations |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {user} | {kind} | `{name}` | {', '.join(sorted(operations))} |"
        for (user, kind, name), operations in rows.items()
    ]
    return "\n".join(lines)
