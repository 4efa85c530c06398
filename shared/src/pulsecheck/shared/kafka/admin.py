"""Create or verify every topic of the registry: partitions, cleanup policy, retention."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity
from pulsecheck.shared.topics import TopicSpec

log = logging.getLogger(__name__)

_TOPIC_ALREADY_EXISTS = 36
_VISIBLE_WITHIN_SECONDS = 30.0


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
    security: KafkaSecurity = PLAINTEXT,
) -> list[TopicReport]:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, client_id="pulsecheck-topics", **security.client_kwargs()
    )
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
    sources = {spec.source for spec in specs if spec.source is not None}
    counts = await _partition_counts(admin, existing & ({s.name for s in specs} | sources))

    def wanted(spec: TopicSpec) -> int:
        # an internal topic mirrors its source as it is, even one made with another count
        if spec.source is not None and spec.source in counts:
            return counts[spec.source]
        return wanted_partitions(spec, partitions)

    missing = [spec for spec in specs if spec.name not in existing]
    already = await _create(admin, missing, wanted, replication_factor) if missing else set()
    counts |= await _partition_counts(admin, already)
    created = [spec for spec in missing if spec.name not in already]
    # a service started right after this returns must find every topic with its partitions
    await _wait_until_visible(admin, {spec.name for spec in created})
    reports = [TopicReport(spec.name, "created", wanted(spec)) for spec in created]
    present = [spec for spec in specs if spec.name in existing | already]
    if not present:
        return reports
    configs = await admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, spec.name) for spec in present]
    )
    current = _current_configs(configs)
    for spec in present:
        count = counts.get(spec.name, 0)
        wanted_config = spec.config()
        drift = {k: v for k, v in wanted_config.items() if current.get(spec.name, {}).get(k) != v}
        action = "verified"
        if drift:
            await admin.alter_configs(
                [ConfigResource(ConfigResourceType.TOPIC, spec.name, configs=wanted_config)]
            )
            action = "reconfigured"
            log.warning("topic config drifted", extra={"topic": spec.name, "drift": drift})
        if count < wanted(spec):
            # never shrink or silently repartition: keyed state would move; report it instead
            log.warning(
                "topic has fewer partitions than configured",
                extra={"topic": spec.name, "has": count, "wanted": wanted(spec)},
            )
        reports.append(TopicReport(spec.name, action, count))
    return reports


async def _create(
    admin: AIOKafkaAdminClient,
    specs: list[TopicSpec],
    partitions_of: Callable[[TopicSpec], int],
    replication_factor: int,
) -> set[str]:
    """Create `specs`; return those the broker already had (its listing can lag behind)."""
    response = await admin.create_topics(
        [
            NewTopic(
                name=spec.name,
                num_partitions=partitions_of(spec),
                replication_factor=replication_factor,
                topic_configs=spec.config(),
            )
            for spec in specs
        ]
    )
    already: set[str] = set()
    for topic, error_code, *message in response.topic_errors:
        if error_code == _TOPIC_ALREADY_EXISTS:
            already.add(topic)
        elif error_code:
            raise RuntimeError(f"could not create topic {topic}: {message or error_code}")
    return already


async def _partition_counts(admin: AIOKafkaAdminClient, names: set[str]) -> dict[str, int]:
    if not names:
        return {}
    described = await admin.describe_topics(sorted(names))
    return {t["topic"]: len(t["partitions"]) for t in described if t["partitions"]}


async def _wait_until_visible(admin: AIOKafkaAdminClient, names: set[str]) -> None:
    give_up_at = time.monotonic() + _VISIBLE_WITHIN_SECONDS
    while len(await _partition_counts(admin, names)) < len(names):
        if time.monotonic() > give_up_at:
            raise TimeoutError(f"created topics not visible in metadata: {sorted(names)}")
        await asyncio.sleep(0.1)


def _current_configs(responses: list[object]) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for response in responses:
        for resource in getattr(response, "resources", []):
            # (error_code, error_message, resource_type, resource_name, config_entries)
            name = resource[3]
            entries = resource[4]
            result[name] = {entry[0]: entry[1] for entry in entries}
    return result
