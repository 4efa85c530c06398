"""`pulsecheck-topics`: create or verify every PulseCheck topic (idempotent)."""

from __future__ import annotations

import asyncio
import sys

from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.settings import CommonSettings


def main() -> None:
    settings = CommonSettings()
    reports = asyncio.run(
        ensure_topics(
            settings.kafka_bootstrap,
            settings.topics().specs(),
            settings.partitions,
            settings.replication_factor,
            settings.kafka_security(),
        )
    )
    for report in reports:
        print(f"{report.name}: {report.action} ({report.partitions} partitions)")
    sys.exit(0)
