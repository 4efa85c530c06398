"""What the broker says right now: a fresh request every time, never a client's cached metadata.

Readiness probes ask this: a broker that stopped answering must turn them false within a probe
period, which cached metadata (kept for minutes) never does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import for_code

from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity

ROUND_TRIP_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class ClusterView:
    # topic -> partitions the broker lists for it (absent: the topic does not exist)
    partitions: dict[str, int] = field(default_factory=dict)
    # consumer group -> members the coordinator lists in it now
    members: dict[str, int] = field(default_factory=dict)
    # topic -> why the broker would not describe it: it does not exist, or this principal may
    # not see it (a service whose ACLs lack a topic is not ready, however many partitions it
    # holds of the others)
    refused: dict[str, str] = field(default_factory=dict)

    def refusals(self) -> dict[str, str]:
        """Readiness's problem when a topic is refused, else nothing."""
        if not self.refused:
            return {}
        return {"topics": "; ".join(f"{t}: {why}" for t, why in sorted(self.refused.items()))}


async def cluster_view(
    bootstrap: str,
    topics: Iterable[str] = (),
    groups: Iterable[str] = (),
    *,
    within: float = ROUND_TRIP_TIMEOUT_SECONDS,
    security: KafkaSecurity = PLAINTEXT,
) -> ClusterView:
    """Partition counts and group sizes by a new connection; raises when the broker does not
    answer within `within` seconds."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap,
        client_id="pulsecheck-health",
        request_timeout_ms=int(within * 1000),
        **security.client_kwargs(),
    )
    try:
        async with asyncio.timeout(within):
            await admin.start()
            wanted = sorted(set(topics))
            # an empty list would ask for every topic of the cluster: ask for none instead
            described = await admin.describe_topics(wanted) if wanted else []
            described_groups = await _describe_groups(admin, sorted(set(groups)))
    finally:
        await admin.close()
    return ClusterView(
        partitions={t["topic"]: len(t["partitions"]) for t in described if t["partitions"]},
        members=described_groups,
        refused={t["topic"]: _refusal(t["error_code"]) for t in described if t["error_code"]},
    )


def _refusal(error_code: int) -> str:
    """The broker's error for a topic, by name (UnknownTopicOrPartitionError,
    TopicAuthorizationFailedError, …)."""
    return str(for_code(error_code).__name__)


async def _describe_groups(admin: AIOKafkaAdminClient, groups: list[str]) -> dict[str, int]:
    if not groups:
        return {}
    responses: list[Any] = await admin.describe_consumer_groups(groups)
    members: dict[str, int] = {}
    for response in responses:
        for group in response.to_object()["groups"]:
            members[group["group"]] = len(group["members"])
    return members
