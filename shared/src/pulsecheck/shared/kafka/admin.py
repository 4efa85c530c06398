"""Create or verify every topic of the registry: partitions, cleanup policy, retention."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from pulsecheck.shared.topics import TopicSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicReport:
    name: str
    action: str  # "created", "verified", "reconfigured", "partitions increased"
    partitions: int


def wanted_partitions(spec: TopicSpec, keyed_partitions: int) -> int:
    return keyed_partitions if spec.keyed_by_monitor else max(1, min(keyed_partitions, 3))


async def ensure_topics(
    bootstrap: str,
    specs: tuple[TopicSpec, ...],
    partitions: int,
    replication_factor: int = 1,
) -> list[TopicReport]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="pulsecheck-topics")
    await admin.start()
    try:
        return await _ensure(admin, specs, partitions, replication_factor)
    finally:
        await admin.close()


async def _ensure(
    admin: AIOKafkaAdminClient,
    specs: tuple[TopicSpec, ...],
    partitions: int,
    replication_factor: int,
) -> list[TopicReport]:
    existing = set(await admin.list_topics())
    missing = [spec for spec in specs if spec.name not in existing]
    if missing:
        await admin.create_topics(
            [
                NewTopic(
                    name=spec.name,
                    num_partitions=wanted_partitions(spec, partitions),
                    replication_factor=replication_factor,
                    topic_configs=spec.config(),
                )
                for spec in missing
            ]
        )
    reports = [TopicReport(s.name, "created", wanted_partitions(s, partitions)) for s in missing]
    present = [spec for spec in specs if spec.name in existing]
    if not present:
        return reports
    described = await admin.describe_topics([spec.name for spec in present])
    partition_counts = {t["topic"]: len(t["partitions"]) for t in described}
    configs = await admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, spec.name) for spec in present]
    )
    current = _current_configs(configs)
    for spec in present:
        count = partition_counts.get(spec.name, 0)
        wanted = spec.config()
        drift = {k: v for k, v in wanted.items() if current.get(spec.name, {}).get(k) != v}
        action = "verified"
        if drift:
            await admin.alter_configs(
                [ConfigResource(ConfigResourceType.TOPIC, spec.name, configs=wanted)]
            )
            action = "reconfigured"
            log.warning("topic config drifted", extra={"topic": spec.name, "drift": drift})
        if count < wanted_partitions(spec, partitions):
            # never shrink or silently repartition: keyed state would move; report it instead
            log.warning(
                "topic has fewer partitions than configured",
                extra={"topic": spec.name, "has": count, "wanted": partitions},
            )
        reports.append(TopicReport(spec.name, action, count))
    return reports


def _current_configs(responses: list[object]) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for response in responses:
        for resource in getattr(response, "resources", []):
            # (error_code, error_message, resource_type, resource_name, config_entries)
            name = resource[3]
            entries = resource[4]
            result[name] = {entry[0]: entry[1] for entry in entries}
    return result
